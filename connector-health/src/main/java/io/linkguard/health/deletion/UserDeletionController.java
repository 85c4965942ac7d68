package io.linkguard.health.deletion;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.UUID;

/** auth-server's user deletion ({@code DELETE /internal/users/{userId}}, internal callers only by AccessPolicy). */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class UserDeletionController {

    private final UserDeletionService service;

    UserDeletionController(UserDeletionService service) {
        this.service = service;
    }

    /** auth-server delivers a user's deletion here until it gets a 2xx; repeating it is harmless. */
    @Delete("/internal/users/{userId}")
    HttpResponse<Void> deleteUser(@PathVariable UUID userId) {
        service.delete(userId);
        return HttpResponse.noContent();
    }
}
