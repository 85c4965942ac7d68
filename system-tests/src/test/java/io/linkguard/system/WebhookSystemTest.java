package io.linkguard.system;

import io.linkguard.testsupport.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the gateway: an org admin registers a webhook; a grant revoked at the provider gives
 * exactly one signed {@code connection.needs_reauth}, reconnecting gives {@code connection.recovered},
 * and the attempts are visible through the API.
 */
class WebhookSystemTest {

    final RunningSystem sys = RunningSystem.get();

    record Received(String id, String timestamp, String signature, String body) {
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(60), condition);
    }

    private static boolean verified(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = ("v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8))))
                .getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, r.signature().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void revokedGrantWhenOrgHasAWebhookThenOneSignedNeedsReauthThenRecoveredAfterReconnect() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            Tenant t = Tenant.create(sys);
            String hooks = sys.gateway() + "/api/orgs/" + t.account.orgId() + "/webhooks";
            Http.Response created = Http.postJson(hooks, t.ownerToken, Map.of(
                    "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "events", List.of("connection.needs_reauth", "connection.recovered")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String secret = created.json().get("secret").asText();
            String hookId = created.json().get("id").asText();

            String[] member = t.addMember(sys, "member");
            String profileId = Tenant.connectMock(sys, member[1]);
            String worker = t.workerToken(sys);
            // the user revokes the grant at the provider; the worker's next poll reports what it got back
            for (int i = 0; i < 2; i++) {
                Http.Response r = Http.postJson(sys.gateway() + "/api/health/reports", worker, Map.of("userId", member[0],
                        "connector", "mock", "outcome", "failure", "providerResponse", "{\"error\":\"invalid_grant\"}"));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            await("needs_reauth delivered", () -> received.stream().anyMatch(r -> r.body().contains("connection.needs_reauth")));
            Await.holdsFor("exactly one needs_reauth event", Duration.ofSeconds(2),
                    () -> received.stream().filter(r -> r.body().contains("connection.needs_reauth")).count() == 1);
            List<Received> reauth = received.stream().filter(r -> r.body().contains("connection.needs_reauth")).toList();
            assertThat(reauth).as("exactly one event for one revoked grant").hasSize(1);
            assertThat(verified(secret, reauth.get(0))).as("Standard Webhooks signature").isTrue();
            JsonNode data = Http.JSON.readTree(reauth.get(0).body()).get("data");
            assertThat(data.get("userId").asText()).isEqualTo(member[0]);
            assertThat(data.get("reconnectUrl").asText()).endsWith("/reconnect/mock");

            // reconnecting (the same profile) brings it back
            Http.Response again = Http.postJson(sys.gateway() + "/api/auth-profiles/" + profileId + "/reconnect", member[1], Map.of());
            if (again.status() == 200 || again.status() == 201) {
                ConnectFlow.follow(again.json().get("connectUrl").asText());
            } else {
                Tenant.connectMock(sys, member[1]);
            }
            await("recovered delivered", () -> received.stream().anyMatch(r -> r.body().contains("connection.recovered")));
            Received recovered = received.stream().filter(r -> r.body().contains("connection.recovered")).findFirst().orElseThrow();
            assertThat(verified(secret, recovered)).isTrue();

            Http.Response deliveries = Http.get(hooks + "/" + hookId + "/deliveries", t.ownerToken);
            assertThat(deliveries.status()).isEqualTo(200);
            assertThat(deliveries.json().get("items").size()).isGreaterThanOrEqualTo(2);
            assertThat(deliveries.json().get("items").get(0).get("status").asText()).isEqualTo("delivered");
            assertThat(Http.get(hooks, member[1]).status()).as("members cannot see webhooks").isEqualTo(403);
        } finally {
            receiver.stop(0);
        }
    }
}
