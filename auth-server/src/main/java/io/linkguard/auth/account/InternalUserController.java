package io.linkguard.auth.account;

import io.linkguard.auth.problem.AuthProblem;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/** Other services ask which org a user belongs to (never routed by the gateway). */
@Controller("/internal/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalUserController {

    @Serdeable
    record InternalUser(UUID id, UUID orgId, String role, String email) {
    }

    private final AccountRepository accounts;

    InternalUserController(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Get("/{userId}")
    InternalUser find(@PathVariable UUID userId) {
        UserAccount u = accounts.findById(userId);
        if (u == null) {
            throw AuthProblem.NOT_FOUND.refuse("No such user.");
        }
        return new InternalUser(u.id(), u.orgId(), u.role(), u.email());
    }
}
