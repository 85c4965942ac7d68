package io.linkguard.health.history;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * History retention ({@code linkguard.health.history.*}).
 *
 * @param retention       how long a status transition stays readable
 * @param batchSize       rows deleted per statement (short statements, short locks)
 * @param cleanupInterval pause between two runs of the retention job
 */
@ConfigurationProperties("linkguard.health.history")
public record HistoryConfiguration(@Bindable(defaultValue = "90d") Duration retention,
                                   @Bindable(defaultValue = "1000") int batchSize,
                                   @Bindable(defaultValue = "1h") Duration cleanupInterval) {
}
