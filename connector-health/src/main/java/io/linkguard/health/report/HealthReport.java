package io.linkguard.health.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.UUID;

/**
 * One poll outcome reported by a worker (docs/API.md, "Connector health"), or by token-refresher / the connect
 * callback through the internal endpoint (which also sets {@code orgId} and may report
 * {@code disabled}).
 *
 * @param userId           the user whose connection was polled
 * @param connector        connector key, e.g. {@code github}
 * @param outcome          {@code success} or {@code failure} ({@code disabled} internally)
 * @param errorCode        the provider's error code, if the worker extracted it
 * @param providerResponse the provider's raw error body, parsed for {@code "error"} when no code is given
 * @param permanent        the worker knows the failure is permanent
 * @param observedAt       when the outcome was observed (defaults to now)
 * @param orgId            internal reports only: the user's org
 * @param authProfileId    internal reports only: the auth profile behind the connector
 */
@Serdeable
public record HealthReport(
        @NotNull UUID userId,
        @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9_.-]{0,63}$", message = "must be a connector key like 'github'") String connector,
        @NotNull @Pattern(regexp = "^(success|failure|disabled)$", message = "must be 'success' or 'failure'") String outcome,
        @Nullable @Size(max = 100) String errorCode,
        @Nullable @Size(max = 10_000) String providerResponse,
        @Nullable Boolean permanent,
        @Nullable Instant observedAt,
        @Nullable UUID orgId,
        @Nullable UUID authProfileId) {

    /** @return the outcome (the member is a string so that a wrong one is refused with the pattern's message) */
    Outcome outcomeKind() {
        return Outcome.of(outcome);
    }
}
