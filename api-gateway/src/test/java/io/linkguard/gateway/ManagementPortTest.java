package io.linkguard.gateway;

import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Metrics and detailed health live on the management port only; the public port has a bare /health. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Value("${endpoints.all.port}")
    int managementPort;

    @Override
    public Map<String, String> getProperties() {
        String dead = "http://127.0.0.1:" + BackendDownTest.freePort();
        Map<String, String> p = new HashMap<>(issuer.properties());
        p.put("micronaut.server.port", "-1");
        p.put("linkguard.auth-url", dead);
        p.put("linkguard.refresher-url", dead);
        p.put("linkguard.health-url", dead);
        return p;
    }

    @AfterAll
    void stop() {
        issuer.close();
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthWhenPublicPortThenStatusOnlyWithoutDetails() throws Exception {
        HttpResponse<String> r = get(server.getPort(), "/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void managementEndpointsWhenPublicPortThen404() throws Exception {
        assertThat(managementPort).isNotEqualTo(server.getPort());
        for (String path : List.of("/prometheus", "/metrics", "/health/liveness", "/health/readiness", "/beans",
                "/routes", "/loggers", "/env", "/threaddump")) {
            HttpResponse<String> r = get(server.getPort(), path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("jvm_").doesNotContain("diskSpace");
        }
    }

    @Test
    void managementEndpointsWhenManagementPortThenServedAnonymously() throws Exception {
        HttpResponse<String> health = get(managementPort, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"details\"");
        assertThat(get(managementPort, "/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> prometheus = get(managementPort, "/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
        assertThat(get(managementPort, "/metrics").statusCode()).isEqualTo(200);
        // operator endpoints that are not needed stay off, even here
        assertThat(get(managementPort, "/beans").statusCode()).isEqualTo(404);
        assertThat(get(managementPort, "/env").statusCode()).isEqualTo(404);
    }
}
