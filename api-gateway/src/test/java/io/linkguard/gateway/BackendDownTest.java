package io.linkguard.gateway;

import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway alone, its backends unreachable: clean problems, never an exception message. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendDownTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        String dead = "http://127.0.0.1:" + freePort();
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

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> exchange(HttpRequest<?> request) {
        try {
            return client.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> r = (HttpResponse<String>) e.getResponse();
            return r;
        }
    }

    @Test
    void proxyWhenBackendDownThen502ProblemWithoutInternals() {
        UUID user = UUID.randomUUID();
        HttpResponse<String> r = exchange(HttpRequest.GET("/api/connectors/" + user + "/status")
                .bearerAuth(issuer.userToken(user, UUID.randomUUID(), "member", "connectors:read")));
        assertThat(r.code()).isEqualTo(502);
        assertThat(r.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
        String body = r.getBody(String.class).orElse("");
        assertThat(body).contains("did not answer").doesNotContain("Exception").doesNotContain("127.0.0.1");
        assertThat(r.getHeaders().get("X-Request-Id")).isNotBlank();
    }

    @Test
    void apiWhenNoTokenThen401AndInternalOrUnknownThen404() {
        assertThat(exchange(HttpRequest.GET("/api/connectors/" + UUID.randomUUID() + "/status")).code()).isEqualTo(401);
        HttpResponse<String> internal = exchange(HttpRequest.GET("/internal/users/" + UUID.randomUUID()));
        assertThat(internal.code()).isEqualTo(404);
        assertThat(internal.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
        assertThat(exchange(HttpRequest.GET("/nothing-here")).code()).isEqualTo(404);
    }

    @Test
    void policyWhenScopeMissingOrIdMalformedThen403Or400BeforeAnyBackendCall() {
        UUID user = UUID.randomUUID();
        String noScope = issuer.userToken(user, UUID.randomUUID(), "member", "profiles:write");
        assertThat(exchange(HttpRequest.GET("/api/connectors/" + user + "/status").bearerAuth(noScope)).code()).isEqualTo(403);
        assertThat(exchange(HttpRequest.GET("/api/connectors/not-a-uuid/status").bearerAuth(noScope)).code()).isEqualTo(400);
        String worker = issuer.serviceToken("w", UUID.randomUUID(), "tokens:read");
        assertThat(exchange(HttpRequest.POST("/api/health/reports", "{}").bearerAuth(worker)).code()).isEqualTo(403);
    }

    @Test
    void dashboardWhenAppPathsThenIndexServed() {
        HttpResponse<String> app = exchange(HttpRequest.GET("/app/"));
        assertThat(app.code()).isEqualTo(200);
        assertThat(app.getBody(String.class).orElse("")).contains("Your connections");
        assertThat(exchange(HttpRequest.GET("/reconnect/github")).code()).isEqualTo(200);
        assertThat(exchange(HttpRequest.GET("/app/app.js")).code()).isEqualTo(200);
        HttpResponse<String> admin = exchange(HttpRequest.GET("/app/admin"));
        assertThat(admin.code()).isEqualTo(200);
        assertThat(admin.getBody(String.class).orElse("")).contains("Who needs to reconnect?").doesNotContain("<script>");
        assertThat(admin.getHeaders().get("Content-Security-Policy")).startsWith("default-src 'self'");
        assertThat(exchange(HttpRequest.GET("/app/admin.js")).code()).isEqualTo(200);
    }
}
