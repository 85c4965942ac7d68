package io.linkguard.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service refuses a non-canonical path itself, so a service reached directly (not through the
 * gateway) cannot be asked for a resource by a second spelling that its rules do not cover. Requests go
 * out as raw bytes: an HTTP client library may normalise the path first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanonicalPathSystemTest {

    RunningSystem sys;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
    }

    static String raw(String base, String path) throws IOException {
        URI uri = URI.create(base);
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void pathWhenNotCanonicalThen400AtEveryService() throws IOException {
        String id = UUID.randomUUID().toString();
        List<String> paths = List.of("/api/connectors/" + id + "/status/", "/api//me", "/api/./me",
                "/api/x/../me", "/api%2Fme", "/api%5cme", "/api/%2e%2e/internal/users/" + id, "/health/", "/oauth/jwks/");
        for (String service : List.of("api-gateway", "auth-server", "token-refresher", "connector-health")) {
            for (String path : paths) {
                String answer = raw(sys.url(service), path);
                assertThat(answer).as(service + " " + path).startsWith("HTTP/1.1 400 ")
                        .containsIgnoringCase("content-type: application/problem+json").contains("non-canonical-path");
            }
            assertThat(raw(sys.url(service), "/health")).as(service).startsWith("HTTP/1.1 200 ");
        }
    }
}
