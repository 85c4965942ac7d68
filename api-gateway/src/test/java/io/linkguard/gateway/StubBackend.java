package io.linkguard.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.linkguard.testsupport.TestTokenIssuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A stand-in for the services behind the gateway: answers every request with 200 and the body the
 * given function makes of it (e.g. a header it received), so a test sees what the gateway sent on.
 */
final class StubBackend implements AutoCloseable {

    private final HttpServer server;

    private StubBackend(HttpServer server) {
        this.server = server;
    }

    static StubBackend answering(Function<HttpExchange, String> body) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", exchange -> {
                byte[] bytes = body.apply(exchange).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            s.start();
            return new StubBackend(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the gateway's properties with every service pointing at this stand-in */
    Map<String, String> gatewayProperties(TestTokenIssuer issuer) {
        Map<String, String> p = new HashMap<>(issuer.properties());
        String backend = "http://127.0.0.1:" + server.getAddress().getPort();
        p.put("micronaut.server.port", "-1");
        p.put("linkguard.auth-url", backend);
        p.put("linkguard.refresher-url", backend);
        p.put("linkguard.health-url", backend);
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
