package io.linkguard.health.status;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The state of one (user, connector), as stored in {@code connector_health.status} (the column's
 * CHECK constraint lists the same values) and shown in every answer by its lowercase value.
 * Declared in display order.
 */
@Serdeable
public enum HealthStatus {
    /** Working, or failing only transiently. */
    CONNECTED,
    /** The grant is gone: only the user can fix it by reconnecting. */
    NEEDS_REAUTH,
    /** The user or an admin took the grant back at the provider: also needs a reconnect. */
    REVOKED,
    /** Switched off by Linkguard's own services. */
    DISABLED;

    /** @return the stored and serialized value, e.g. {@code needs_reauth} */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the user must reconnect: the banner and its link show */
    public boolean needsReconnect() {
        return this == NEEDS_REAUTH || this == REVOKED;
    }

    /**
     * @param value a stored or requested value
     * @return the status, if {@code value} is one
     */
    public static Optional<HealthStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    /**
     * @param value a value read from the column
     * @return the status; the CHECK constraint admits nothing else
     */
    public static HealthStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("Unknown health status in the database: " + value));
    }
}
