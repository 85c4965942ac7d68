package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.UUID;

/** token-refresher marks a connected profile {@code needs_reauth} or {@code active} again. */
@Controller("/internal/auth-profiles")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalAuthProfileController {

    private final AuthProfileService service;

    InternalAuthProfileController(AuthProfileService service) {
        this.service = service;
    }

    @Post("/{id}/status")
    @Status(HttpStatus.NO_CONTENT)
    void status(@PathVariable UUID id, @Body @Nullable ProfileStatusRequest request) {
        service.updateStatus(id, request == null ? new ProfileStatusRequest(null, null) : request);
    }
}
