package io.linkguard.system;

import io.linkguard.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics that explain the system are there, named as the docs and the Grafana dashboard use
 * them: gateway requests by route template and backend (one series per route, not per user), and
 * the refresher's provider, breaker and credential figures.
 */
class MetricsSystemTest {

    final RunningSystem sys = RunningSystem.get();

    @Test
    void prometheusWhenTrafficFlowedThenPerRouteAndPerProviderSeries() {
        Tenant t = Tenant.create(sys);
        String profile = Tenant.connectMock(sys, Tenant.userToken(sys, t.account.email(), t.account.password()));
        String worker = t.workerToken(sys);
        assertThat(Http.get(sys.gateway() + "/api/connectors/" + t.account.userId() + "/status", t.ownerToken).status()).isEqualTo(200);
        assertThat(Http.post(sys.gateway() + "/api/connections/" + profile + "/access-token", worker).status()).isEqualTo(200);

        String gateway = Http.get(sys.managementUrl("api-gateway") + "/prometheus", null).body();
        assertThat(gateway).contains("linkguard_gateway_requests_seconds_count{backend=\"health\",method=\"GET\",route=\"/api/connectors/{id}/status\",status=\"200\"")
                .doesNotContain(t.account.userId());
        assertThat(gateway).contains("route=\"/api/connections/{id}/access-token\"");

        java.util.concurrent.atomic.AtomicReference<String> scraped = new java.util.concurrent.atomic.AtomicReference<>("");
        // the credentials gauge follows its first count, the lag gauge the background job's first run
        Await.until("token-refresher exports its credential and queue-lag gauges", Duration.ofSeconds(40), () -> {
            scraped.set(Http.get(sys.managementUrl("token-refresher") + "/prometheus", null).body());
            return scraped.get().contains("linkguard_credentials{") && scraped.get().contains("linkguard_refresh_queue_lag_seconds");
        });
        String refresher = scraped.get();
        assertThat(refresher).contains("linkguard_credentials{provider=\"mock\",state=\"active\"}")
                .contains("linkguard_refresh_queue_lag_seconds");
    }
}
