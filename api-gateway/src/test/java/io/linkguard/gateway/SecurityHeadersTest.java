package io.linkguard.gateway;

import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every path of the dashboard (page, static files, app routes) and every error carries the security headers. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

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

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dashboardPathsWhenAnyThenFramingSniffingAndReferrerHeaders() throws Exception {
        Map<String, String> paths = Map.of(
                "/", "", // a redirect to /app/
                "/app/", "text/html",
                "/app/index.html", "text/html",
                "/app/callback", "text/html",
                "/reconnect/x", "text/html",
                "/app/app.js", "javascript",
                "/app/app.css", "text/css",
                "/app/favicon.svg", "image/svg+xml");
        for (Map.Entry<String, String> e : paths.entrySet()) {
            HttpResponse<String> r = get(e.getKey());
            String path = e.getKey();
            assertThat(r.statusCode()).as(path).isIn(200, 303);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).contains(e.getValue());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'self'"));
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
    }

    @Test
    void jsonErrorsAndHealthWhenAnyThenNosniff() throws Exception {
        for (String path : List.of("/health", "/nothing-here", "/api/connectors/x/status", "/internal/users/x",
                "/app/missing.js")) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
    }
}
