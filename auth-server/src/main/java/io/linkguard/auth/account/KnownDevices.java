package io.linkguard.auth.account;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/**
 * Browsers that signed in to an account before, recognised by a random device cookie of which
 * only the SHA-256 is stored. A fresh cookie is minted on every successful sign-in (never a value
 * the browser brought along, so a cookie planted by someone else never becomes a known device).
 */
@Singleton
public class KnownDevices {

    private final Sql sql;
    private final LoginThrottleConfiguration settings;

    KnownDevices(Sql sql, LoginThrottleConfiguration settings) {
        this.sql = sql;
        this.settings = settings;
    }

    /** @return whether this device cookie signed in to this user before and has not expired */
    public boolean known(@Nullable String deviceToken, UUID userId) {
        if (deviceToken == null || deviceToken.isBlank() || deviceToken.length() > 100) {
            return false;
        }
        return sql.one("SELECT 1 FROM known_devices WHERE device_hash = ? AND user_id = ? AND expires_at > now()",
                rs -> Boolean.TRUE, Hashes.sha256(deviceToken), userId) != null;
    }

    /** @return a new device cookie value, remembered for the user */
    public String remember(UUID userId) {
        String token = Hashes.randomToken();
        sql.updateOne("remember device", "INSERT INTO known_devices (device_hash, user_id, expires_at) VALUES (?, ?, ?)",
                Hashes.sha256(token), userId, Instant.now().plus(settings.deviceLifetime()));
        return token;
    }
}
