package io.linkguard.refresher.refresh;

import io.linkguard.http.security.Caller;
import io.micronaut.http.annotation.Controller;
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

    ConnectionController(RefreshService service) {
        this.service = service;
    }

    @Post("/{authProfileId}/access-token")
    FreshToken accessToken(@PathVariable UUID authProfileId, Authentication auth) {
        return service.freshToken(authProfileId, Caller.of(auth).requireOrg());
    }
}
