package io.linkguard.http.management;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Internal;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.endpoint.health.HealthLevelOfDetail;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import reactor.core.publisher.Mono;

/**
 * The only health answer on a service's public port: {@code GET /health} → 200 {@code {"status":"UP"}}
 * or 503 {@code {"status":"DOWN"}}, nothing else. Detailed health, liveness/readiness probes and
 * metrics are management endpoints on the separate management port ({@code endpoints.all.port}),
 * which the gateway never routes: component names, database details and metrics tell an attacker
 * what runs inside and cost work on every anonymous call.
 *
 * <p>Exists only when a management port is configured; otherwise Micronaut's own health endpoint
 * owns {@code /health} on the public port and two routes would claim the same path.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "endpoints.all.port")
@Requires(beans = HealthAggregator.class)
@Requires(property = "linkguard.http.public-health.enabled", notEquals = "false")
public class PublicHealthController {

    private final HealthAggregator<HealthResult> aggregator;
    private final HealthIndicator[] indicators;

    /**
     * @param aggregator the aggregator the health endpoint uses
     * @param indicators every health indicator (liveness and readiness alike, as {@code /health} on the
     *                   management port)
     */
    @Internal
    public PublicHealthController(HealthAggregator<HealthResult> aggregator, HealthIndicator[] indicators) {
        this.aggregator = aggregator;
        this.indicators = indicators;
    }

    /**
     * @return the aggregate status only: never component names or details
     */
    @Get(value = "/health", produces = MediaType.APPLICATION_JSON)
    public Mono<HttpResponse<Status>> health() {
        return Mono.from(aggregator.aggregate(indicators, HealthLevelOfDetail.STATUS))
                .map(r -> "DOWN".equals(r.getStatus().getName()) ? Status.DOWN : Status.UP)
                .onErrorReturn(Status.DOWN)
                .map(s -> HttpResponse.status(s == Status.UP ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .header("Cache-Control", "no-store").body(s));
    }

    /**
     * The public document.
     *
     * @param status {@code UP} or {@code DOWN}
     */
    @Serdeable
    public record Status(String status) {
        static final Status UP = new Status("UP");
        static final Status DOWN = new Status("DOWN");
    }
}
