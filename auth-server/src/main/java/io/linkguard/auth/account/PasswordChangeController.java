package io.linkguard.auth.account;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.sql.Sql;
import io.linkguard.auth.revocation.RevocationLog;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code POST /api/me/password}: a signed-in user changes their own password (scope
 * {@code account:write}, which only first-party clients get). The current password is required,
 * so a stolen access token alone cannot take the account over.
 */
@Controller("/api/me/password")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class PasswordChangeController {

    @Serdeable
    record PasswordChange(@Nullable String currentPassword, @Nullable String newPassword) {
    }

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final Sql sql;
    private final RevocationLog revocations;
    private final TransactionOperations<Connection> tx;

    PasswordChangeController(AccountRepository accounts, PasswordHasher hasher, Sql sql, RevocationLog revocations,
                             TransactionOperations<Connection> tx) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.sql = sql;
        this.revocations = revocations;
        this.tx = tx;
    }

    @Post
    HttpResponse<Void> change(@Body PasswordChange change, Authentication auth) {
        UUID userId = Caller.of(auth).requireUser();
        String next = change.newPassword();
        if (next == null || next.length() < AccountService.MIN_PASSWORD || next.length() > AccountService.MAX_PASSWORD) {
            throw AuthProblem.BAD_REQUEST.refuse("newPassword: must be " + AccountService.MIN_PASSWORD + " to "
                    + AccountService.MAX_PASSWORD + " characters");
        }
        UserAccount user = accounts.findById(userId);
        if (user == null) {
            throw AuthProblem.NOT_FOUND.refuse("No such user.");
        }
        String current = change.currentPassword();
        if (current == null || current.length() > AccountService.MAX_PASSWORD || !hasher.verify(current, user.passwordHash())) {
            throw AuthProblem.FORBIDDEN.refuse("currentPassword: that is not the account's current password.");
        }
        if (current.equals(next)) {
            throw AuthProblem.BAD_REQUEST.refuse("newPassword: must differ from the current password");
        }
        String hash = hasher.hash(next);
        tx.executeWrite(status -> {
            sql.updateOne("change password",
                    "UPDATE users SET password_hash = ?, password_change_required = false WHERE id = ?", hash, userId);
            // whoever held a token of this account (a thief, another device) loses it within seconds
            revocations.revokeUser(userId);
            return null;
        });
        return HttpResponse.noContent();
    }
}
