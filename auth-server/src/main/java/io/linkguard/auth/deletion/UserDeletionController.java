package io.linkguard.auth.deletion;

import io.linkguard.http.ProblemException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.List;
import java.util.UUID;

/** {@code DELETE /api/users/{userId}}: the user themself, or an owner/admin of the same org (SPEC §3.7). */
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
        Object org = auth.getAttributes().get("org_id");
        Object role = auth.getAttributes().get("role");
        if (org == null || role == null) {
            throw ProblemException.forbidden("Only users can delete users.");
        }
        boolean self = userId.toString().equals(auth.getName());
        boolean admin = "owner".equals(role) || "admin".equals(role);
        Object scope = auth.getAttributes().get("scope");
        boolean adminScope = scope != null && List.of(scope.toString().trim().split("\\s+")).contains("admin");
        service.delete(userId, UUID.fromString(org.toString()), self, admin && adminScope);
        return HttpResponse.noContent();
    }
}
