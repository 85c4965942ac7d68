package io.linkguard.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stands in for auth-server over real HTTP: the client_credentials token endpoint (for this
 * service's internal token) and {@code /internal/users/{id}} answering from a user→org map.
 */
final class FakeAuthServer implements AutoCloseable {

    final Map<UUID, UUID> userOrgs = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakeAuthServer(Supplier<String> internalToken) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", ex -> {
            ex.getRequestBody().readAllBytes();
            boolean authenticated = ex.getRequestHeaders().getFirst("Authorization") != null;
            send(ex, authenticated ? 200 : 401, authenticated
                    ? "{\"access_token\":\"" + internalToken.get() + "\",\"token_type\":\"Bearer\",\"expires_in\":600}"
                    : "{\"error\":\"invalid_client\"}");
        });
        server.createContext("/internal/users/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(ex, 401, "{}");
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/internal/users/".length());
            UUID org;
            try {
                org = userOrgs.get(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                org = null;
            }
            if (org == null) {
                send(ex, 404, "{\"status\":404}");
            } else {
                send(ex, 200, "{\"id\":\"" + id + "\",\"orgId\":\"" + org + "\",\"role\":\"member\",\"email\":\"u@example.test\"}");
            }
        });
        server.start();
    }

    /** auth-server deleted the user: it answers 404 for them from now on. */
    void deleteUser(UUID id) {
        userOrgs.remove(id);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    UUID newUser(UUID org) {
        UUID id = UUID.randomUUID();
        userOrgs.put(id, org);
        return id;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
