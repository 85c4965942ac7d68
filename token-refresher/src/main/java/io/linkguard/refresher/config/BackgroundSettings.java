package io.linkguard.refresher.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * The background refresh job ({@code linkguard.refresher.background.*}). Its interval is read by its
 * {@code @Scheduled} annotation ({@code LINKGUARD_REFRESHER_BACKGROUND_INTERVAL}, 10s) and
 * {@code enabled=false} keeps the job out of a replica.
 *
 * @param concurrency refreshes under way at once in this replica
 *                    ({@code LINKGUARD_REFRESHER_BACKGROUND_CONCURRENCY})
 */
@Context
@ConfigurationProperties("linkguard.refresher.background")
public record BackgroundSettings(
        @Min(value = 1, message = "must be at least 1: LINKGUARD_REFRESHER_BACKGROUND_CONCURRENCY")
        @Bindable(defaultValue = "256") int concurrency) {
}
