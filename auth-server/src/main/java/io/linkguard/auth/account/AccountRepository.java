package io.linkguard.auth.account;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Orgs, users and memberships. */
@Singleton
public class AccountRepository {

    private static final String SELECT_USER = """
            SELECT u.id, u.org_id, u.email, m.role, u.password_hash
              FROM users u JOIN memberships m ON m.user_id = u.id AND m.org_id = u.org_id""";

    private final Sql sql;

    AccountRepository(Sql sql) {
        this.sql = sql;
    }

    void insertOrg(UUID id, String name) {
        sql.updateOne("insert org", "INSERT INTO orgs (id, name) VALUES (?, ?)", id, name);
    }

    /** Inserts a user and its membership; a taken email surfaces as a unique violation. */
    void insertUser(UUID id, UUID orgId, String email, String passwordHash, String role) {
        sql.updateOne("insert user", "INSERT INTO users (id, org_id, email, password_hash) VALUES (?, ?, ?, ?)",
                id, orgId, email, passwordHash);
        sql.updateOne("insert membership", "INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?)",
                orgId, id, role);
    }

    /** @return the user with that email (case-insensitive), or null */
    @Nullable
    public UserAccount findByEmail(String email) {
        return sql.one(SELECT_USER + " WHERE lower(u.email) = lower(?)", AccountRepository::map, email.trim());
    }

    /** @return the user, or null */
    @Nullable
    public UserAccount findById(UUID id) {
        return sql.one(SELECT_USER + " WHERE u.id = ?", AccountRepository::map, id);
    }

    @Nullable
    public String orgName(UUID orgId) {
        return sql.one("SELECT name FROM orgs WHERE id = ?", rs -> rs.getString(1), orgId);
    }

    /** @return whether the user still signs in with a bootstrap password (V102) */
    boolean passwordChangeRequired(UUID userId) {
        return Boolean.TRUE.equals(sql.one("SELECT password_change_required FROM users WHERE id = ?",
                rs -> rs.getBoolean(1), userId));
    }

    boolean orgExists(UUID orgId) {
        return sql.one("SELECT 1 FROM orgs WHERE id = ?", rs -> 1, orgId) != null;
    }

    /** Deletes the user; every row referencing them in this schema goes with them (ON DELETE CASCADE). */
    int deleteUser(UUID id) {
        return sql.update("DELETE FROM users WHERE id = ?", id);
    }

    private static UserAccount map(ResultSet rs) throws SQLException {
        return new UserAccount(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getString("email"), rs.getString("role"), rs.getString("password_hash"));
    }
}
