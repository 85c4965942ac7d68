package io.linkguard.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of one poll of a user's connector, for {@link LinkguardClient#report(Report)}.
 * Start from {@link #success} or {@link #failure} and add what you know:
 * <pre>{@code
 * Report.failure(userId, "github", null).withProviderResponse(body).withObservedAt(polledAt)
 * }</pre>
 *
 * @param userId           the user whose connection was polled
 * @param connector        the connector key, e.g. {@code github}
 * @param outcome          success or failure
 * @param errorCode        the provider's error code (e.g. {@code invalid_grant}), if the worker extracted it
 * @param providerResponse the provider's raw error body; Linkguard reads its {@code "error"} when no code is given
 * @param permanent        true when the worker knows the failure will not go away by itself
 * @param observedAt       when the outcome was observed; Linkguard uses the time of arrival when null.
 *                         A report older than what Linkguard already knows is not applied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(UUID userId, String connector, Outcome outcome, String errorCode, String providerResponse,
                     Boolean permanent, Instant observedAt) {

    // user, connector and outcome are required
    public Report {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * A poll that worked.
     *
     * @param userId    the user
     * @param connector the connector key
     * @return the report
     */
    public static Report success(UUID userId, String connector) {
        return new Report(userId, connector, Outcome.SUCCESS, null, null, null, null);
    }

    /**
     * A poll that failed.
     *
     * @param userId    the user
     * @param connector the connector key
     * @param errorCode the provider's error code, or null (then add {@link #withProviderResponse})
     * @return the report
     */
    public static Report failure(UUID userId, String connector, String errorCode) {
        return new Report(userId, connector, Outcome.FAILURE, errorCode, null, null, null);
    }

    /**
     * @param body the provider's raw error body
     * @return a copy carrying it
     */
    public Report withProviderResponse(String body) {
        return new Report(userId, connector, outcome, errorCode, body, permanent, observedAt);
    }

    /**
     * @param isPermanent whether the failure is known to be permanent
     * @return a copy saying so
     */
    public Report withPermanent(boolean isPermanent) {
        return new Report(userId, connector, outcome, errorCode, providerResponse, isPermanent, observedAt);
    }

    /**
     * @param at when the outcome was observed
     * @return a copy carrying the time
     */
    public Report withObservedAt(Instant at) {
        return new Report(userId, connector, outcome, errorCode, providerResponse, permanent, at);
    }

    /** Whether the poll worked; written as {@code success} / {@code failure}. */
    public enum Outcome {
        /** The poll worked. */
        SUCCESS("success"),
        /** The poll failed. */
        FAILURE("failure");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        /** @return the name on the wire */
        @JsonValue
        public String wire() {
            return wire;
        }
    }
}
