package io.linkguard.refresher.refresh;

import io.linkguard.http.security.Caller;
import io.linkguard.http.ProblemException;
import io.linkguard.refresher.credential.CredentialRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.UUID;

/** Workers fetch a fresh provider token before each poll. */
@Controller("/api/connections")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ConnectionController {

    private final RefreshService service;
    private final CredentialRepository credentials;

    ConnectionController(RefreshService service, CredentialRepository credentials) {
        this.service = service;
        this.credentials = credentials;
    }

    /**
     * A worker holding only {@code tokens:read} finds a user's connection ids for a connector
     * (its own org only: another org's user simply has none here).
     */
    @Get
    ConnectionSummary.Page find(@Nullable @QueryValue String userId, @Nullable @QueryValue String connector,
                                Authentication auth) {
        UUID user;
        try {
            user = userId == null ? null : UUID.fromString(userId);
        } catch (IllegalArgumentException e) {
            user = null;
        }
        if (user == null) {
            throw ProblemException.badRequest("userId: must be a UUID");
        }
        return new ConnectionSummary.Page(credentials.findByUser(Caller.of(auth).requireOrg(), user, connector).stream()
                .map(c -> new ConnectionSummary(c.authProfileId(), c.userId(), c.connectorKey(), c.providerKey(), c.status().value(),
                        c.expiresAt()))
                .toList());
    }

    @Post("/{authProfileId}/access-token")
    FreshToken accessToken(@PathVariable UUID authProfileId, Authentication auth) {
        return service.freshToken(authProfileId, Caller.of(auth).requireOrg());
    }
}
