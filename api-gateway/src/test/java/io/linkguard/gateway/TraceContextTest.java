package io.linkguard.gateway;

import io.linkguard.testsupport.TestTokenIssuer;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * W3C trace context crosses the gateway: a client's {@code traceparent} reaches the service behind
 * it with the same trace id and the gateway's own span as the parent; a request without one starts
 * a trace the service continues.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceContextTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    /** Stands in for a service: answers with the traceparent it received. */
    final StubBackend echo = StubBackend.answering(exchange -> String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));

    @Inject
    EmbeddedServer gateway;

    @Override
    public Map<String, String> getProperties() {
        return echo.gatewayProperties(issuer);
    }

    @AfterAll
    void stop() {
        echo.close();
        issuer.close();
    }

    String seenByService(String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort()
                + "/.well-known/oauth-authorization-server")).GET();
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void proxyWhenClientSendsTraceparentThenTheServiceContinuesThatTrace() throws Exception {
        String seen = seenByService("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(seen).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
        assertThat(seen).as("the gateway's span is the parent").doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void proxyWhenClientSendsNoTraceparentThenTheGatewayStartsOne() throws Exception {
        assertThat(seenByService(null)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }
}
