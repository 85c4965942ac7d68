package io.linkguard.http.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code revocationList} in {@code /health} and {@code /health/readiness}: DOWN while the list is
 * stale, because this service then refuses every user and service-account token (fail closed).
 */
@Singleton
@Readiness
@Requires(beans = RevocationList.class)
@Requires(classes = HealthIndicator.class)
public class RevocationHealthIndicator implements HealthIndicator {

    private final RevocationList list;

    public RevocationHealthIndicator(RevocationList list) {
        this.list = list;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastRefresh", list.lastRefresh().map(Object::toString).orElse(null));
        details.put("cursor", list.cursor());
        details.put("entries", list.size());
        return Mono.just(HealthResult.builder("revocationList", list.fresh() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
