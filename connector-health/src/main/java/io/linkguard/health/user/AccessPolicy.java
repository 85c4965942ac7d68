package io.linkguard.health.user;

import io.linkguard.health.caller.Caller;
import io.linkguard.http.ProblemException;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Who may read or change a user's health and automation state (checked again here after the
 * gateway, as defence in depth): the user themself with the route's scope, or an owner/admin
 * of the same org. Another user of the same org gets 403; a user of another org gets exactly
 * the 404 an unknown user gets, so existence never leaks across tenants.
 */
@Singleton
public class AccessPolicy {

    private final UserDirectory users;

    AccessPolicy(UserDirectory users) {
        this.users = users;
    }

    /**
     * @param caller the caller
     * @param userId the user whose data is asked for
     * @param scope  the scope a user needs for their own data
     * @return the user's org
     */
    public UUID authorize(Caller caller, UUID userId, String scope) {
        UUID callerOrg = caller.requireOrg();
        if (caller.is(userId)) {
            caller.require(scope);
            return callerOrg;
        }
        UUID userOrg = users.orgOf(userId).orElse(null);
        if (userOrg == null || !userOrg.equals(callerOrg)) {
            throw notFound();
        }
        if (!caller.isOrgAdmin()) {
            throw ProblemException.forbidden("Only the user themself or an admin of their organisation may do this.");
        }
        return userOrg;
    }

    /** @return the one 404 for an unknown user and another org's user */
    public static ProblemException notFound() {
        return ProblemException.notFound("No such user.");
    }
}
