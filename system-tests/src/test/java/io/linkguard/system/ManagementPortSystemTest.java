package io.linkguard.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing internal is public: metrics, detailed health and the probes answer only on each service's
 * management port; the public ports (the gateway's and each service's own) answer a bare
 * {@code /health} and 404 for the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortSystemTest {

    static final List<String> SERVICES = List.of("api-gateway", "auth-server", "token-refresher", "connector-health");
    static final List<String> MANAGEMENT_PATHS = List.of("/prometheus", "/metrics", "/health/liveness",
            "/health/readiness", "/beans", "/env", "/loggers", "/routes", "/threaddump");

    RunningSystem sys;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
    }

    @Test
    void managementPathsWhenPublicPortDirectOrThroughGatewayThen404() {
        for (String service : SERVICES) {
            for (String path : MANAGEMENT_PATHS) {
                Http.Response r = Http.get(sys.url(service) + path, null);
                assertThat(r.status()).as(service + path).isEqualTo(404);
                assertThat(r.body()).as(service + path).doesNotContain("jvm_").doesNotContain("diskSpace");
            }
        }
    }

    @Test
    void healthWhenPublicPortThenStatusOnly() {
        for (String service : SERVICES) {
            Http.Response r = Http.get(sys.url(service) + "/health", null);
            assertThat(r.status()).as(service).isEqualTo(200);
            assertThat(r.body()).as(service).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void managementPathsWhenManagementPortThenServed() {
        for (String service : SERVICES) {
            String management = sys.managementUrl(service);
            Http.Response health = Http.get(management + "/health", null);
            assertThat(health.status()).as(service).isEqualTo(200);
            assertThat(health.body()).as(service).contains("\"details\"");
            assertThat(Http.get(management + "/health/liveness", null).status()).as(service).isEqualTo(200);
            assertThat(Http.get(management + "/health/readiness", null).status()).as(service).isEqualTo(200);
            assertThat(Http.get(management + "/metrics", null).status()).as(service).isEqualTo(200);
            Http.Response prometheus = Http.get(management + "/prometheus", null);
            assertThat(prometheus.status()).as(service).isEqualTo(200);
            assertThat(prometheus.body()).as(service).contains("jvm_memory_used_bytes");
        }
        // a service's datasource shows in its detailed health, and only there
        assertThat(Http.get(sys.managementUrl("connector-health") + "/health", null).body()).contains("\"jdbc\"");
    }
}
