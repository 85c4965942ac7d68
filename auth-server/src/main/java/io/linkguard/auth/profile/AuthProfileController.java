package io.linkguard.auth.profile;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.http.security.Caller;
import io.linkguard.auth.connect.ConnectTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.List;
import java.util.UUID;

/** {@code /api/auth-profiles}: a user's connector auth profiles (scope {@code profiles:write}). */
@Controller("/api/auth-profiles")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthProfileController {


    private final AuthProfileService service;
    private final OAuthAccountProfiles oauthAccounts;
    private final ProfileRequestValidator validator;

    AuthProfileController(AuthProfileService service, OAuthAccountProfiles oauthAccounts, ProfileRequestValidator validator) {
        this.service = service;
        this.oauthAccounts = oauthAccounts;
        this.validator = validator;
    }

    @Post
    HttpResponse<CreateAuthProfileResponse> create(Authentication auth, @Body @Nullable CreateAuthProfileRequest request) {
        Caller caller = Caller.of(auth);
        if (request == null) {
            throw AuthProblem.BAD_REQUEST.refuse("A JSON body is required.");
        }
        NewProfile n = validator.validate(caller, request);
        CreatedProfile c = switch (n.kind()) {
            case OAUTH_APP -> service.createWithSecret(caller, n, request.clientId(), request.clientSecret());
            case API_KEY -> service.createWithSecret(caller, n, null, request.apiKey());
            case OAUTH_ACCOUNT -> oauthAccounts.create(caller, n);
        };
        return HttpResponse.status(c.reused() ? HttpStatus.OK : HttpStatus.CREATED).body(response(c));
    }

    @Get
    List<AuthProfileView> list(Authentication auth) {
        return AuthProfileService.views(service.list(Caller.of(auth)));
    }

    @Get("/{id}")
    AuthProfileView get(Authentication auth, @PathVariable UUID id) {
        return AuthProfileView.of(service.get(Caller.of(auth), id));
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    void delete(Authentication auth, @PathVariable UUID id) {
        service.delete(Caller.of(auth), id);
    }

    /** A fresh connect link for the same profile (a needs_reauth one keeps its id). */
    @Post("/{id}/reconnect")
    CreateAuthProfileResponse reconnect(Authentication auth, @PathVariable UUID id) {
        return response(oauthAccounts.reconnect(Caller.of(auth), id));
    }

    private static CreateAuthProfileResponse response(CreatedProfile c) {
        ConnectTokens.Link link = c.link();
        return new CreateAuthProfileResponse(AuthProfileView.of(c.profile()), link == null ? null : link.url(),
                link == null ? null : link.token(), c.reused());
    }
}
