package io.linkguard.health.pause;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** Whose switch holds a user's automation (shown as {@code operator} or {@code user}). */
@Serdeable
public enum PausedBy {
    /** The operator's switch, for everyone. */
    OPERATOR,
    /** The user's own switch (or an admin's for them). */
    USER;

    /** @return the serialized value */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
