package io.linkguard.health.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.linkguard.health.status.HealthStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One status transition of a user's connector.
 *
 * @param connector  the connector key
 * @param fromStatus the status before, null for the connector's first report
 * @param toStatus   the status after
 * @param errorCode  the permanent failure's code when it went to needs_reauth
 * @param observedAt when the worker observed the outcome that caused it
 * @param recordedAt when Linkguard recorded it
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryEntry(String connector, @Nullable HealthStatus fromStatus, HealthStatus toStatus,
                           @Nullable String errorCode, Instant observedAt, Instant recordedAt) {
}
