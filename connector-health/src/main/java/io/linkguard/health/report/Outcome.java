package io.linkguard.health.report;

import java.util.Locale;

/** What a report says happened, as the {@code outcome} member spells it in lowercase. */
public enum Outcome {
    /** The poll worked. */
    SUCCESS,
    /** The poll failed; the error code says whether the grant is gone. */
    FAILURE,
    /** Linkguard's own services switched the connector off (internal reports only). */
    DISABLED;

    /**
     * @param value a validated {@code outcome} member
     * @return its outcome
     */
    static Outcome of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
