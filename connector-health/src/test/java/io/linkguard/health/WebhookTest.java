package io.linkguard.health;

import io.linkguard.testsupport.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed webhooks: an org admin registers an endpoint, and each status transition (and each
 * automation pause flip) is delivered once, signed the Standard Webhooks way, from a row written
 * with the transition; a dead endpoint slows nothing and its attempts are visible and redeliverable.
 */
@MicronautTest(transactional = false)
class WebhookTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What a receiver got: headers and body. */
    record Received(String id, String timestamp, String signature, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(200);
    final HttpServer receiver = receiver();
    final UUID admin = UUID.randomUUID();

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.webhooks.allow-private-targets", "true");   // the receiver listens on 127.0.0.1
        p.put("linkguard.webhooks.interval", "100ms");
        return p;
    }

    private HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/hook", ex -> {
                received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"),
                        ex.getRequestHeaders().getFirst("webhook-timestamp"), ex.getRequestHeaders().getFirst("webhook-signature"),
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                ex.sendResponseHeaders(answer.get(), -1);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopReceiver() {
        receiver.stop(0);
    }

    @BeforeEach
    void reset() {
        received.clear();
        answer.set(200);
    }

    String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    String owner() {
        auth.newUser(orgA);
        return user(admin, orgA, "owner");
    }

    JsonNode register(String url, String... events) throws Exception {
        HttpResponse<String> r = exchange(HttpRequest.POST("/api/orgs/" + orgA + "/webhooks",
                Map.of("url", url, "events", List.of(events))).bearerAuth(owner()));
        assertThat(r.code()).as(body(r)).isEqualTo(201);
        return JSON.readTree(body(r));
    }

    void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    static String failure(UUID u, String connector, String code) {
        return "{\"userId\":\"" + u + "\",\"connector\":\"" + connector + "\",\"outcome\":\"failure\",\"errorCode\":\"" + code + "\"}";
    }

    static String success(UUID u, String connector) {
        return "{\"userId\":\"" + u + "\",\"connector\":\"" + connector + "\",\"outcome\":\"success\"}";
    }

    /** The Standard Webhooks check, written out as a receiver would. */
    static boolean verified(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), r.signature().getBytes(StandardCharsets.UTF_8))
                && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(r.timestamp())) < 300;
    }

    private List<Received> about(UUID user) {
        return received.stream().filter(r -> r.body().contains(user.toString())).toList();
    }

    @Test
    void transitionWhenEndpointRegisteredThenOneSignedEventPerTransition() throws Exception {
        JsonNode hook = register(hookUrl(), "connection.needs_reauth", "connection.recovered");
        String secret = hook.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        UUID u = auth.newUser(orgA);
        String w = worker(orgA);
        report(w, success(u, "github"));
        report(w, failure(u, "github", "invalid_grant"));
        report(w, failure(u, "github", "invalid_grant"));   // no transition: no second event
        await("needs_reauth delivered", () -> about(u).size() == 1);
        Received first = about(u).get(0);
        assertThat(verified(secret, first)).as("signature").isTrue();
        JsonNode event = JSON.readTree(first.body());
        assertThat(event.get("type").asText()).isEqualTo("connection.needs_reauth");
        assertThat(event.get("data").get("connector").asText()).isEqualTo("github");
        assertThat(event.get("data").get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(event.get("data").get("reconnectUrl").asText()).isEqualTo("https://linkguard.example/reconnect/github");

        report(w, success(u, "github"));
        await("recovered delivered", () -> about(u).size() == 2);
        Received second = about(u).get(1);
        assertThat(JSON.readTree(second.body()).get("type").asText()).isEqualTo("connection.recovered");
        assertThat(verified(secret, second)).isTrue();
        assertThat(second.id()).isNotEqualTo(first.id());
        // the secret is shown once: never in a list or a read
        HttpResponse<String> list = exchange(HttpRequest.GET("/api/orgs/" + orgA + "/webhooks").bearerAuth(owner()));
        assertThat(body(list)).contains(hook.get("id").asText()).doesNotContain(secret);
        Await.holdsFor("no further event", Duration.ofMillis(400), () -> about(u).size() == 2);
    }

    @Test
    void pauseWhenFlippedThenAutomationEventsForSubscribers() throws Exception {
        register(hookUrl(), "automation.paused", "automation.resumed");
        UUID u = auth.newUser(orgA);
        String token = user(u, orgA, "member");
        exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", Map.of("paused", true, "reason", "incident")).bearerAuth(token));
        exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", Map.of("paused", true)).bearerAuth(token));
        exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", Map.of("paused", false)).bearerAuth(token));
        await("paused and resumed", () -> about(u).size() == 2);
        assertThat(about(u).stream().map(r -> {
            try {
                return JSON.readTree(r.body()).get("type").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).containsExactlyInAnyOrder("automation.paused", "automation.resumed");
    }

    @Test
    void deliveryWhenEndpointFailsThenStatusUpdatesAreUnaffectedAndAttemptsAreVisibleAndRedeliverable() throws Exception {
        answer.set(500);
        JsonNode hook = register(hookUrl(), "connection.revoked");
        UUID u = auth.newUser(orgA);
        long started = System.nanoTime();
        HttpResponse<String> r = report(worker(orgA), failure(u, "slack", "token_revoked"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the report does not wait for the endpoint")
                .isLessThan(Duration.ofSeconds(2));
        await("an attempt was made", () -> about(u).size() == 1);
        String deliveries = "/api/orgs/" + orgA + "/webhooks/" + hook.get("id").asText() + "/deliveries";
        await("the failed attempt is visible", () -> {
            JsonNode items = read(deliveries).get("items");
            return items.size() == 1 && items.get(0).get("attempts").asInt() == 1
                    && items.get(0).get("lastStatus").asInt() == 500 && items.get(0).get("status").asText().equals("pending");
        });
        String deliveryId = read(deliveries).get("items").get(0).get("id").asText();
        answer.set(204);
        HttpResponse<String> again = exchange(HttpRequest.POST(deliveries + "/" + deliveryId + "/redeliver", "")
                .bearerAuth(owner()));
        assertThat(again.code()).isEqualTo(202);
        await("redelivered", () -> about(u).size() == 2);
        assertThat(about(u).get(1).id()).as("same webhook-id, so receivers drop repeats").isEqualTo(about(u).get(0).id());
        await("delivered", () -> read(deliveries).get("items").get(0).get("status").asText().equals("delivered"));
    }

    @Test
    void registerWhenBadInputOrNotAnAdminThenClearErrors() throws Exception {
        String base = "/api/orgs/" + orgA + "/webhooks";
        assertThat(exchange(HttpRequest.POST(base, Map.of("url", hookUrl(), "events", List.of("connection.exploded")))
                .bearerAuth(owner())).code()).isEqualTo(400);
        assertThat(exchange(HttpRequest.POST(base, Map.of("url", "ftp://example.com/x", "events", List.of("connection.revoked")))
                .bearerAuth(owner())).code()).isEqualTo(400);
        assertThat(exchange(HttpRequest.POST(base, Map.of("url", hookUrl(), "events", List.of("connection.revoked")))
                .bearerAuth(user(auth.newUser(orgA), orgA, "member"))).code()).isEqualTo(403);
        assertThat(exchange(HttpRequest.POST("/api/orgs/" + orgB + "/webhooks", Map.of("url", hookUrl(), "events",
                List.of("connection.revoked"))).bearerAuth(owner())).code()).isEqualTo(404);
        assertThat(exchange(HttpRequest.GET(base + "/" + UUID.randomUUID() + "/deliveries").bearerAuth(owner())).code())
                .isEqualTo(404);
    }

    JsonNode read(String path) {
        try {
            HttpResponse<String> r = exchange(HttpRequest.GET(path).bearerAuth(owner()));
            assertThat(r.code()).as(body(r)).isEqualTo(200);
            return JSON.readTree(body(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
