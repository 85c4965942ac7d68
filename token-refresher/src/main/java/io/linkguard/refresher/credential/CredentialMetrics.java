package io.linkguard.refresher.credential;

import io.linkguard.sql.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * {@code linkguard.credentials{provider,state}}: how many credentials each provider has in each
 * state ({@code active}, {@code needs_reauth}, {@code refresh_uncertain}, and {@code cannot_refresh}
 * for those Linkguard itself cannot refresh), counted every 30 seconds from the table, so every
 * replica reports the same figures.
 */
@Singleton
class CredentialMetrics {

    private final Sql sql;
    private final MultiGauge gauge;

    CredentialMetrics(Sql sql, MeterRegistry metrics) {
        this.sql = sql;
        this.gauge = MultiGauge.builder("linkguard.credentials")
                .description("Credentials by provider and state").register(metrics);
    }

    private record Count(String provider, String state, long n) {
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.metrics-interval:30s}", initialDelay = "5s")
    void count() {
        List<Count> counts = sql.list("""
                SELECT provider_key, CASE WHEN last_error LIKE 'linkguard_cannot_refresh%' THEN 'cannot_refresh' ELSE status END,
                       count(*)
                  FROM credentials GROUP BY 1, 2""", rs -> new Count(rs.getString(1), rs.getString(2), rs.getLong(3)));
        gauge.register(counts.stream().map(c -> MultiGauge.Row.of(Tags.of("provider", c.provider(), "state", c.state()), c.n()))
                .toList(), true);
    }
}
