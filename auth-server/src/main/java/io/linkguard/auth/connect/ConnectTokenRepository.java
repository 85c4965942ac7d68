package io.linkguard.auth.connect;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** The one-time links that start the connect flow ({@code connect_tokens}), found by their SHA-256. */
@Singleton
class ConnectTokenRepository {

    private static final String COLUMNS = "token_hash, auth_profile_id, user_id, expires_at, used_at, created_at";

    private final Sql sql;

    ConnectTokenRepository(Sql sql) {
        this.sql = sql;
    }

    void save(ConnectToken t) {
        sql.updateOne("insert connect token", "INSERT INTO connect_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                t.tokenHash(), t.authProfileId(), t.userId(), t.expiresAt(), t.usedAt(), t.createdAt());
    }

    /** One-time use in one statement: of N concurrent uses exactly one gets the row. */
    @Nullable
    ConnectToken consume(String tokenHash) {
        return sql.one("""
                UPDATE connect_tokens SET used_at = now()
                 WHERE token_hash = ? AND used_at IS NULL AND expires_at > now() RETURNING\s""" + COLUMNS,
                ConnectTokenRepository::token, tokenHash);
    }

    /** Reads a usable token without using it up: showing the confirmation page must not burn the link. */
    @Nullable
    ConnectToken findUsable(String tokenHash) {
        return sql.one("SELECT " + COLUMNS + " FROM connect_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > now()",
                ConnectTokenRepository::token, tokenHash);
    }

    int deleteExpired() {
        return sql.update("DELETE FROM connect_tokens WHERE expires_at < now() - interval '1 hour'");
    }

    private static ConnectToken token(ResultSet rs) throws SQLException {
        return new ConnectToken(rs.getString("token_hash"), rs.getObject("auth_profile_id", UUID.class),
                rs.getObject("user_id", UUID.class), Sql.instant(rs, "expires_at"), Sql.instant(rs, "used_at"),
                Sql.instant(rs, "created_at"));
    }
}
