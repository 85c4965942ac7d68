package io.linkguard.gateway;

import com.sun.net.httpserver.HttpServer;
import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-canonical paths are refused at the gateway before security, policy or the proxy see them. Requests
 * are written byte for byte on a socket: an HTTP client library may normalise the path before sending.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanonicalPathTest implements TestPropertyProvider {

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    /** Stands in for connector-health: answers 200 and records what reached it. */
    final HttpServer backend = startBackend();
    final List<String> reachedBackend = new CopyOnWriteArrayList<>();
    final UUID user = UUID.randomUUID();

    @Inject
    EmbeddedServer server;

    HttpServer startBackend() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                reachedBackend.add(ex.getRequestURI().getRawPath());
                byte[] body = "{\"connectors\":[]}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getProperties() {
        String dead = "http://127.0.0.1:" + BackendDownTest.freePort();
        Map<String, String> p = new HashMap<>(issuer.properties());
        p.put("micronaut.server.port", "-1");
        p.put("linkguard.auth-url", dead);
        p.put("linkguard.refresher-url", dead);
        p.put("linkguard.health-url", "http://127.0.0.1:" + backend.getAddress().getPort());
        return p;
    }

    @AfterAll
    void stop() {
        issuer.close();
        backend.stop(0);
    }

    /** One request written as raw bytes; returns the status line, headers and body as text. */
    String raw(String path, String token) throws IOException {
        return raw(path, token, false);
    }

    String raw(String path, String token, boolean statusLineOnly) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (statusLineOnly) {
                for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                    answer.write(b);
                }
                return answer.toString(StandardCharsets.UTF_8);
            }
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void pathWhenNotCanonicalThen400ProblemAndNothingProxied() throws IOException {
        String other = UUID.randomUUID().toString();
        // a member asking for another user's status: every spelling must be refused, none may reach the service
        String token = issuer.userToken(user, UUID.randomUUID(), "member", "connectors:read");
        List<String> cases = List.of(
                "/api/connectors/" + other + "/status/",
                "/api/connectors/" + other + "/status//",
                "/api//connectors/" + other + "/status",
                "//api/connectors/" + other + "/status",
                "/api/connectors/" + other + "/./status",
                "/api/connectors/x/../" + other + "/status",
                "/api/connectors/" + other + "/status/.",
                "/api/connectors/" + other + "%2Fstatus",
                "/api/connectors/" + other + "%2fstatus",
                "/api/connectors/" + other + "%5Cstatus",
                "/api/connectors/" + other + "%5cstatus",
                "/api/connectors/x/%2e%2e/" + other + "/status",
                "/api/connectors/x/%2E%2E/" + other + "/status",
                "/api/connectors/" + other + "/status%00",
                "/api/connectors/" + other + "/status%252F",
                "/api/%63onnectors/" + other + "/status",
                "/internal/users/" + other + "/",
                "/api/health/reports/",
                "/reconnect/x/",
                "/app/app.js/",
                "/app//index.html",
                "/app/../internal/users/" + other);
        for (String path : cases) {
            String answer = raw(path, token);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ");
            assertThat(answer).as(path).containsIgnoringCase("content-type: application/problem+json")
                    .contains("non-canonical-path").doesNotContain(other)
                    .containsIgnoringCase("x-content-type-options: nosniff");
        }
        // a raw backslash is not a valid request target: the server refuses it before any filter, also with 400
        String backslash = raw("/api/connectors/" + other + "\\status", token);
        assertThat(backslash).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/problem+json")
                .doesNotContain(other);
        assertThat(reachedBackend).as("no non-canonical request reached the service").noneMatch(p -> p.contains(other));
    }

    @Test
    void pathWhenCanonicalThenPolicyAndProxyAsBefore() throws IOException {
        String own = issuer.userToken(user, UUID.randomUUID(), "member", "connectors:read");
        String answer = raw("/api/connectors/" + user + "/status", own, true);
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(reachedBackend).contains("/api/connectors/" + user + "/status");
        assertThat(raw("/app/", own, true)).startsWith("HTTP/1.1 200 ");
        assertThat(raw("/", own, true)).startsWith("HTTP/1.1 303 ");
        assertThat(raw("/reconnect/github", own, true)).startsWith("HTTP/1.1 200 ");
    }
}
