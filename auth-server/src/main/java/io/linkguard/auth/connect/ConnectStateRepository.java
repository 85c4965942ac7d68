package io.linkguard.auth.connect;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** The OAuth states of redirects to providers ({@code connect_states}), found by their SHA-256. */
@Singleton
class ConnectStateRepository {

    private static final String COLUMNS = """
            state_hash, auth_profile_id, user_id, provider_key, redirect_uri, requested_scopes, code_verifier,
            expires_at, used_at, created_at""";

    private final Sql sql;

    ConnectStateRepository(Sql sql) {
        this.sql = sql;
    }

    void save(ConnectState s) {
        sql.updateOne("insert connect state", "INSERT INTO connect_states (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.stateHash(), s.authProfileId(), s.userId(), s.providerKey(), s.redirectUri(), s.requestedScopes(),
                s.codeVerifier(), s.expiresAt(), s.usedAt(), s.createdAt());
    }

    /** One-time: a replayed callback finds nothing. */
    @Nullable
    ConnectState consume(String stateHash) {
        return sql.one("""
                UPDATE connect_states SET used_at = now()
                 WHERE state_hash = ? AND used_at IS NULL AND expires_at > now() RETURNING\s""" + COLUMNS,
                ConnectStateRepository::state, stateHash);
    }

    int deleteExpired() {
        return sql.update("DELETE FROM connect_states WHERE expires_at < now() - interval '1 hour'");
    }

    private static ConnectState state(ResultSet rs) throws SQLException {
        return new ConnectState(rs.getString("state_hash"), rs.getObject("auth_profile_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getString("provider_key"), rs.getString("redirect_uri"),
                rs.getString("requested_scopes"), rs.getString("code_verifier"), Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "used_at"), Sql.instant(rs, "created_at"));
    }
}
