package io.linkguard.health;

import io.linkguard.testsupport.PostgresTestProperties;
import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@MicronautTest(transactional = false)
class ServiceBootTest extends PostgresTestProperties {

    static final TestTokenIssuer ISSUER = TestTokenIssuer.start("http://issuer.test");

    @Inject
    @Client("/")
    HttpClient client;

    @Value("${endpoints.all.port}")
    int managementPort;

    @Override
    protected Map<String, String> extraProperties() {
        return ISSUER.properties();
    }

    @AfterAll
    void stopIssuer() {
        ISSUER.close();
    }

    @Test
    void healthWhenUpThenAnswers200() {
        HttpResponse<String> r = client.toBlocking().exchange("/health", String.class);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(r.getHeaders().get("X-Request-Id")).isNotBlank();
    }

    @Test
    void managementEndpointsWhenPublicPortThen404AndOnManagementPortServed() {
        for (String path : List.of("/prometheus", "/metrics", "/health/liveness", "/health/readiness")) {
            assertThatThrownBy(() -> client.toBlocking().exchange(path, String.class)).as(path)
                    .isInstanceOfSatisfying(HttpClientResponseException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(404));
        }
        try (HttpClient management = HttpClient.create(URI.create("http://127.0.0.1:" + managementPort).toURL())) {
            String health = management.toBlocking().retrieve("/health");
            assertThat(health).contains("\"jdbc\"").contains("\"details\"");
            assertThat(management.toBlocking().exchange("/health/readiness", String.class).code()).isEqualTo(200);
            assertThat(management.toBlocking().retrieve("/prometheus")).contains("jvm_memory_used_bytes");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownRouteWhenAuthenticatedThen404Problem() {
        String token = ISSUER.userToken(UUID.randomUUID(), UUID.randomUUID(), "member", "connectors:read");
        assertThatThrownBy(() -> client.toBlocking().exchange(
                HttpRequest.GET("/api/nothing-here").bearerAuth(token), String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(404);
                    assertThat(e.getResponse().getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
                    assertThat(e.getResponse().getBody(String.class).orElseThrow()).contains("\"status\":404");
                });
    }
}
