package io.linkguard.auth.deletion;

import io.linkguard.http.security.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.UUID;

/**
 * {@code DELETE /api/users/{userId}}: the user themself, or an owner/admin of the same org
 * (docs/API.md, "Deleting a user").
 */
@Controller("/api/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class UserDeletionController {

    private final UserDeletionService service;

    UserDeletionController(UserDeletionService service) {
        this.service = service;
    }

    @Delete("/{userId}")
    HttpResponse<Void> delete(@PathVariable UUID userId, Authentication auth) {
        // AccessPolicy admitted the user themself with account:write, or an org admin (admin
        // scope and role) of the same org; the service checks the row against the caller's org again.
        Caller caller = Caller.of(auth);
        service.delete(userId, caller.requireOrg(), caller.is(userId), caller.isOrgAdmin());
        return HttpResponse.noContent();
    }
}
