package io.linkguard.auth.member;

import io.linkguard.auth.account.Role;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** Members and service accounts of an org, for its admins. */
@Singleton
class MemberRepository {

    private static final String SELECT_MEMBER = """
            SELECT u.id, u.email, m.role, u.created_at, u.password_change_required
              FROM users u JOIN memberships m ON m.user_id = u.id AND m.org_id = u.org_id""";

    private final Sql sql;

    MemberRepository(Sql sql) {
        this.sql = sql;
    }

    /** Keyset page by email (unique), after {@code afterEmail} when not null. */
    List<Member> page(UUID orgId, @Nullable String afterEmail, int limit) {
        return sql.list(SELECT_MEMBER + " WHERE u.org_id = ? AND (CAST(? AS text) IS NULL OR lower(u.email) > lower(?))"
                + " ORDER BY lower(u.email) LIMIT ?", MemberRepository::member, orgId, afterEmail, afterEmail, limit);
    }

    @Nullable
    Member find(UUID orgId, UUID userId) {
        return sql.one(SELECT_MEMBER + " WHERE u.org_id = ? AND u.id = ?", MemberRepository::member, orgId, userId);
    }

    /**
     * Locks every membership row of the org until the transaction ends, and returns the owners.
     * Role changes and removals take this lock first, so two concurrent demotions of the last
     * two owners cannot both pass the "an org keeps an owner" check.
     */
    List<UUID> lockOwners(UUID orgId) {
        return sql.list("SELECT user_id, role FROM memberships WHERE org_id = ? FOR UPDATE", rs ->
                Role.OWNER.is(rs.getString("role")) ? rs.getObject("user_id", UUID.class) : null, orgId)
                .stream().filter(java.util.Objects::nonNull).toList();
    }

    void setRole(UUID orgId, UUID userId, String role) {
        sql.updateOne("change role", "UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?", role, orgId, userId);
    }

    List<ServiceAccount> serviceAccounts(UUID orgId) {
        return sql.list("""
                SELECT client_id, name, scopes, created_at FROM clients
                 WHERE org_id = ? AND kind = 'service_account' ORDER BY created_at, client_id""",
                rs -> new ServiceAccount(rs.getString("client_id"), rs.getString("name"), Sql.strings(rs, "scopes"),
                        Sql.instant(rs, "created_at")), orgId);
    }

    /** @return whether the org's service account existed and now has the new secret hash */
    boolean replaceSecret(UUID orgId, String clientId, String secretHash) {
        return sql.update("UPDATE clients SET secret_hash = ? WHERE client_id = ? AND org_id = ? AND kind = 'service_account'",
                secretHash, clientId, orgId) == 1;
    }

    /** @return whether the org's service account existed and is now gone */
    boolean deleteServiceAccount(UUID orgId, String clientId) {
        return sql.update("DELETE FROM clients WHERE client_id = ? AND org_id = ? AND kind = 'service_account'",
                clientId, orgId) == 1;
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("role"),
                Sql.instant(rs, "created_at"), rs.getBoolean("password_change_required"));
    }
}
