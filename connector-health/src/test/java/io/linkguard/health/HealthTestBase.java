package io.linkguard.health;

import io.linkguard.testsupport.PostgresTestProperties;
import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Shared set-up: fresh database, a trusted test issuer, a fake auth-server, helpers to call the API. */
abstract class HealthTestBase extends PostgresTestProperties {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    final FakeAuthServer auth;

    final UUID orgA = UUID.randomUUID();
    final UUID orgB = UUID.randomUUID();

    @Inject
    @Client("/")
    HttpClient client;

    HealthTestBase() {
        try {
            auth = new FakeAuthServer(() -> issuer.internalToken("linkguard-api-gateway"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(issuer.properties());
        p.put("linkguard.auth-url", auth.url());
        p.put("linkguard.internal-client-secret", "test-secret");
        p.put("linkguard.public-url", "https://linkguard.example");
        return p;
    }

    @AfterAll
    void stopFakes() {
        issuer.close();
        auth.close();
    }

    /** A plain JDBC connection to this class's database, for asserting on rows. */
    java.sql.Connection jdbc() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
    }

    String worker(UUID org) {
        return issuer.serviceToken("worker-" + org, org, "health:report tokens:read");
    }

    /** The dashboard's token for a user: owners and admins sign in with the admin scope too. */
    String user(UUID userId, UUID org, String role) {
        String scope = "connectors:read profiles:write automation:write";
        return issuer.userToken(userId, org, role, "member".equals(role) ? scope : scope + " admin");
    }

    HttpResponse<String> exchange(MutableHttpRequest<?> request) {
        try {
            return client.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> r = (HttpResponse<String>) e.getResponse();
            return r;
        }
    }

    String body(HttpResponse<String> r) {
        return r.getBody(String.class).orElse("");
    }

    HttpResponse<String> report(String token, String json) {
        return exchange(HttpRequest.POST("/api/health/reports", json).bearerAuth(token)
                .contentType("application/json"));
    }

    HttpResponse<String> status(String token, Object userId) {
        return exchange(HttpRequest.GET("/api/connectors/" + userId + "/status").bearerAuth(token));
    }
}
