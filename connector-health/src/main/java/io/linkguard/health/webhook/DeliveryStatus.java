package io.linkguard.health.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** Where a webhook delivery stands, as the admin reads it (shown lowercase). */
@Serdeable
public enum DeliveryStatus {
    /** Queued or being retried. */
    PENDING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** Given up after the retry window; still visible, and may be redelivered. */
    FAILED;

    /** @return the serialized value, also what the delivery query computes */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
