package io.linkguard.health.history;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * History retention ({@code linkguard.health.history.*}), checked at start-up.
 *
 * @param retention       how long a status transition stays readable ({@code LINKGUARD_HISTORY_RETENTION})
 * @param batchSize       rows deleted per statement (short statements, short locks)
 *
 * The retention job's timing is read by its {@code @Scheduled} annotation: {@code cleanup-interval}
 * (1h, the pause between two runs) and {@code cleanup-initial-delay} (1m).
 */
@Context
@ConfigurationProperties("linkguard.health.history")
public record HistoryConfiguration(
        @NotNull(message = "must be a duration such as 90d: check LINKGUARD_HISTORY_RETENTION")
        @Bindable(defaultValue = "90d") Duration retention,
        @Min(value = 1, message = "must be between 1 and 100000: check LINKGUARD_HEALTH_HISTORY_BATCH_SIZE")
        @Max(value = 100_000, message = "must be between 1 and 100000: check LINKGUARD_HEALTH_HISTORY_BATCH_SIZE")
        @Bindable(defaultValue = "1000") int batchSize) {
}
