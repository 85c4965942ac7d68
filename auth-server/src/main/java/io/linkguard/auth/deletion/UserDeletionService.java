package io.linkguard.auth.deletion;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.account.AccountRepository;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.sql.Sql;
import io.linkguard.auth.revocation.RevocationLog;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.UUID;

/**
 * Deletes a user here (every row referencing them cascades) and records, in the same
 * transaction, one delivery per downstream service; {@link UserDeletionDeliveryJob} delivers
 * them until each service confirms, so a service that is down gets the deletion later.
 */
@Singleton
public class UserDeletionService {

    /** The services that hold user data and their outbox names. */
    static final List<String> SERVICES = List.of("token-refresher", "connector-health");

    private final AccountRepository accounts;
    private final Sql sql;
    private final RevocationLog revocations;

    UserDeletionService(AccountRepository accounts, Sql sql, RevocationLog revocations) {
        this.accounts = accounts;
        this.sql = sql;
        this.revocations = revocations;
    }

    @Transactional
    public void delete(UUID userId, UUID callerOrg, boolean self, boolean orgAdmin) {
        UserAccount user = accounts.findById(userId);
        if (user == null || !user.orgId().equals(callerOrg)) {
            throw AuthProblem.NOT_FOUND.refuse("No such user.");
        }
        if (!self && !orgAdmin) {
            throw AuthProblem.FORBIDDEN.refuse("Only the user themself or an admin of their organisation may delete a user.");
        }
        // Personal profiles go with their user; an org's own OAuth app stays with the org (V101).
        sql.update("DELETE FROM auth_profiles WHERE created_by = ? AND kind <> 'oauth_app'", userId);
        sql.updateOne("delete user", "DELETE FROM users WHERE id = ?", userId);
        for (String service : SERVICES) {
            sql.update("INSERT INTO user_deletion_outbox (user_id, service) VALUES (?, ?) ON CONFLICT (user_id, service) DO NOTHING",
                    userId, service);
        }
        // last: the user's access tokens stop working at every service (and the list's lock is held only until commit)
        revocations.revokeUser(userId);
    }
}
