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
 * The gateway tells auth-server who the client is: the X-Forwarded-For it sends on is the chain
 * its trusted proxies vouch for (none by default), so a client cannot forge its address.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedForTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    /** Stands in for auth-server: answers with the X-Forwarded-For it received. */
    final StubBackend echo = StubBackend.answering(exchange -> String.join("|", exchange.getRequestHeaders().getOrDefault("X-Forwarded-For", java.util.List.of())));

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

    String forwardedSeenByBackend(String forgedXff) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort()
                + "/.well-known/oauth-authorization-server")).GET();
        if (forgedXff != null) {
            b.header("X-Forwarded-For", forgedXff);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void proxyWhenClientSendsNoHeaderThenBackendSeesThePeer() throws Exception {
        assertThat(forwardedSeenByBackend(null)).isEqualTo("127.0.0.1");
    }

    @Test
    void proxyWhenClientForgesForwardedForThenBackendSeesOnlyThePeer() throws Exception {
        assertThat(forwardedSeenByBackend("6.6.6.6")).isEqualTo("127.0.0.1");
        assertThat(forwardedSeenByBackend("6.6.6.6, 10.0.0.1")).isEqualTo("127.0.0.1");
    }
}
