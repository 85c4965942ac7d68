package io.linkguard.auth.account;

import io.linkguard.auth.problem.AuthProblem;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.linkguard.auth.client.ClientRepository;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/** Sign-up, members, service accounts and "who am I" (docs/API.md, "Accounts, members and service accounts"). */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
class AccountController {

    @Serdeable
    record SignupRequest(@NotBlank @Size(max = 200) String orgName, @NotBlank @Size(max = 320) String email,
                         @NotBlank @Size(max = 200) String password) {
    }

    @Serdeable
    record AddUserRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 200) String password,
                          @NotBlank String role) {
    }

    @Serdeable
    record ServiceAccountRequest(@NotBlank @Size(max = 100) String name, @NotNull @Size(min = 1) List<String> scopes) {
    }

    @Serdeable
    record UserView(UUID userId, UUID orgId, String email, String role) {
    }

    @Serdeable
    record ServiceAccountView(String clientId, String clientSecret, String name, UUID orgId, List<String> scopes) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MeView(@Nullable UserRef user, OrgRef org, @Nullable String role, @Nullable String clientId, List<String> scopes,
                  boolean passwordChangeRequired) {
    }

    @Serdeable
    record UserRef(UUID id, String email) {
    }

    @Serdeable
    record OrgRef(UUID id, String name) {
    }

    private final AccountService service;
    private final AccountRepository accounts;
    private final ClientRepository clients;
    private final boolean signupEnabled;

    AccountController(AccountService service, AccountRepository accounts, ClientRepository clients,
                      SignupConfiguration signup) {
        this.service = service;
        this.accounts = accounts;
        this.clients = clients;
        this.signupEnabled = signup.signupEnabled();
    }

    @Post("/signup")
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<UserView> signup(@Valid @Body SignupRequest request) {
        if (!signupEnabled) {
            throw AuthProblem.SIGNUP_DISABLED.refuse("Sign-up is switched off on this installation; ask an administrator for an account.");
        }
        UserAccount u = service.signup(request.orgName(), request.email(), request.password());
        return HttpResponse.status(HttpStatus.CREATED).body(new UserView(u.id(), u.orgId(), u.email(), u.role()));
    }

    @Post("/orgs/{orgId}/users")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<UserView> addUser(@PathVariable UUID orgId, @Valid @Body AddUserRequest request) {
        // Only an owner/admin of this org with the admin scope gets here (AccessPolicy's ORG_ADMIN rule).
        UserAccount u = service.addUser(orgId, request.email(), request.password(), request.role());
        return HttpResponse.status(HttpStatus.CREATED).body(new UserView(u.id(), u.orgId(), u.email(), u.role()));
    }

    @Post("/orgs/{orgId}/service-accounts")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<ServiceAccountView> serviceAccount(@PathVariable UUID orgId, @Valid @Body ServiceAccountRequest request,
                                                    Authentication auth) {
        for (String s : request.scopes()) {
            if (!ClientRepository.SERVICE_ACCOUNT_SCOPES.contains(s)) {
                throw AuthProblem.BAD_REQUEST.refuse("scopes: '" + s + "' is not a service-account scope (allowed: "
                        + String.join(", ", ClientRepository.SERVICE_ACCOUNT_SCOPES) + ")");
            }
        }
        String clientId = "sa-" + UUID.randomUUID();
        String secret = Hashes.randomToken();
        List<String> scopes = request.scopes().stream().distinct().toList();
        clients.insert(new RegisteredClient(clientId, Hashes.sha256(secret), "service_account", request.name().trim(), orgId,
                List.of(), List.of("client_credentials"), scopes));
        // The secret is shown once, here; only its hash is stored.
        return HttpResponse.status(HttpStatus.CREATED).body(new ServiceAccountView(clientId, secret, request.name().trim(), orgId, scopes));
    }

    @Get("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    MeView me(Authentication auth) {
        Caller caller = Caller.of(auth);
        List<String> scopes = List.copyOf(caller.scopes());
        UUID orgId = caller.orgId();
        if (orgId == null) {
            throw AuthProblem.NOT_FOUND.refuse("This token does not belong to an organisation.");
        }
        String orgName = accounts.orgName(orgId);
        if (orgName == null) {
            throw AuthProblem.NOT_FOUND.refuse("No such organisation.");
        }
        if (caller.isUser()) {
            UserAccount u = accounts.findById(caller.requireUser());
            if (u == null) {
                throw AuthProblem.NOT_FOUND.refuse("No such user.");
            }
            return new MeView(new UserRef(u.id(), u.email()), new OrgRef(orgId, orgName), u.role(), null, scopes,
                    accounts.passwordChangeRequired(u.id()));
        }
        return new MeView(null, new OrgRef(orgId, orgName), null, auth.getName(), scopes, false);
    }
}
