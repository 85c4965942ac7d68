package io.linkguard.auth.profile;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.UUID;

/** The sealed secrets of {@code oauth_app} and {@code api_key} profiles, one row per profile. */
@Singleton
public class AuthProfileSecretRepository {

    private final Sql sql;

    AuthProfileSecretRepository(Sql sql) {
        this.sql = sql;
    }

    void save(AuthProfileSecret s) {
        sql.updateOne("insert profile secret", """
                INSERT INTO auth_profile_secrets (auth_profile_id, client_id, ciphertext, key_id) VALUES (?, ?, ?, ?)""",
                s.authProfileId(), s.clientId(), s.ciphertext(), s.keyId());
    }

    @Nullable
    public AuthProfileSecret findById(UUID authProfileId) {
        return sql.one("SELECT auth_profile_id, client_id, ciphertext, key_id FROM auth_profile_secrets WHERE auth_profile_id = ?",
                rs -> new AuthProfileSecret(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getString(4)),
                authProfileId);
    }
}
