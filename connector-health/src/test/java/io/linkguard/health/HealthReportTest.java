package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class HealthReportTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(body(r));
    }

    JsonNode connector(UUID userId, String key) throws Exception {
        HttpResponse<String> r = status(user(userId, orgA, "member"), userId);
        assertThat(r.code()).isEqualTo(200);
        return json(r).get("connectors").get(key);
    }

    String failure(UUID userId, String connector, String extra) {
        return "{\"userId\":\"" + userId + "\",\"connector\":\"" + connector + "\",\"outcome\":\"failure\"" + extra + "}";
    }

    String success(UUID userId, String connector, String extra) {
        return "{\"userId\":\"" + userId + "\",\"connector\":\"" + connector + "\",\"outcome\":\"success\"" + extra + "}";
    }

    @Test
    void reportWhenPermanentErrorCodeThenNeedsReauthWithReconnectUrl() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> r = report(worker(orgA), failure(u, "github", ",\"errorCode\":\"invalid_grant\""));
        assertThat(r.code()).isEqualTo(200);
        assertThat(json(r).get("results").get(0).get("applied").asBoolean()).isTrue();
        JsonNode github = connector(u, "github");
        assertThat(github.get("status").asText()).isEqualTo("needs_reauth");
        assertThat(github.get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(github.get("reconnectUrl").asText()).isEqualTo("https://linkguard.example/reconnect/github");
        assertThat(github.get("lastFailureAt").isNull()).isFalse();
    }

    @Test
    void reportWhenProviderResponseHasOddSpacingThenCodeIsParsed() throws Exception {
        UUID u = auth.newUser(orgA);
        String body = failure(u, "google", ",\"providerResponse\":\"{\\\"error\\\" :\\n  \\\"invalid_grant\\\" , \\\"error_description\\\":\\\"Token has been expired or revoked.\\\"}\"");
        HttpResponse<String> r = report(worker(orgA), body);
        assertThat(r.code()).as(body(r)).isEqualTo(200);
        assertThat(json(r).get("results").get(0).get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(connector(u, "google").get("status").asText()).isEqualTo("needs_reauth");
    }

    @Test
    void reportWhenProviderResponseIsNotJsonThenTransientWithoutCode() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> r = report(worker(orgA), failure(u, "slack", ",\"providerResponse\":\"<html>502 Bad Gateway</html>\""));
        assertThat(r.code()).isEqualTo(200);
        assertThat(json(r).get("results").get(0).get("errorCode").isNull()).isTrue();
        assertThat(connector(u, "slack").get("status").asText()).isEqualTo("connected");
    }

    @Test
    void reportWhenPermanentFlagThenNeedsReauthEvenWithUnknownCode() throws Exception {
        UUID u = auth.newUser(orgA);
        report(worker(orgA), failure(u, "notion", ",\"errorCode\":\"object_not_found\",\"permanent\":true"));
        assertThat(connector(u, "notion").get("status").asText()).isEqualTo("needs_reauth");
    }

    @Test
    void reportWhenTransientFailuresThenNeverNeedsReauthButLastFailureRecorded() throws Exception {
        UUID u = auth.newUser(orgA);
        report(worker(orgA), success(u, "github", ""));
        for (String code : List.of("server_error", "temporarily_unavailable", "rate_limited")) {
            report(worker(orgA), failure(u, "github", ",\"errorCode\":\"" + code + "\""));
        }
        JsonNode github = connector(u, "github");
        assertThat(github.get("status").asText()).isEqualTo("connected");
        assertThat(github.get("lastFailureAt").isNull()).isFalse();
        assertThat(github.get("reconnectUrl").isNull()).isTrue();
    }

    @Test
    void reportWhenConnectorFlapsThenLastSuccessIsKept() throws Exception {
        UUID u = auth.newUser(orgA);
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        report(worker(orgA), success(u, "github", ",\"observedAt\":\"" + t0 + "\""));
        report(worker(orgA), failure(u, "github", ",\"errorCode\":\"invalid_grant\",\"observedAt\":\"" + t0.plusSeconds(60) + "\""));
        JsonNode github = connector(u, "github");
        assertThat(github.get("status").asText()).isEqualTo("needs_reauth");
        assertThat(Instant.parse(github.get("lastSuccessAt").asText())).isEqualTo(t0);
        assertThat(Instant.parse(github.get("lastFailureAt").asText())).isEqualTo(t0.plusSeconds(60));

        report(worker(orgA), success(u, "github", ",\"observedAt\":\"" + t0.plusSeconds(120) + "\""));
        github = connector(u, "github");
        assertThat(github.get("status").asText()).isEqualTo("connected");
        assertThat(github.get("errorCode").isNull()).isTrue();
        assertThat(Instant.parse(github.get("lastFailureAt").asText())).isEqualTo(t0.plusSeconds(60));
    }

    @Test
    void reportWhenOlderThanAppliedStateThenIgnoredAndStateKept() throws Exception {
        UUID u = auth.newUser(orgA);
        Instant t0 = Instant.parse("2026-02-01T10:00:00Z");
        report(worker(orgA), success(u, "github", ",\"observedAt\":\"" + t0.plusSeconds(300) + "\""));
        HttpResponse<String> late = report(worker(orgA),
                failure(u, "github", ",\"errorCode\":\"invalid_grant\",\"observedAt\":\"" + t0 + "\""));
        assertThat(late.code()).isEqualTo(200);
        assertThat(json(late).get("results").get(0).get("applied").asBoolean()).isFalse();
        assertThat(connector(u, "github").get("status").asText()).isEqualTo("connected");
    }

    @Test
    void reportWhenOneConnectorFailsThenOthersStayConnected() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> r = report(worker(orgA), "[" + success(u, "github", "") + ","
                + failure(u, "google", ",\"errorCode\":\"invalid_grant\"") + "," + success(u, "slack", "") + "]");
        assertThat(r.code()).isEqualTo(200);
        assertThat(json(r).get("results")).hasSize(3);
        JsonNode all = json(status(user(u, orgA, "member"), u));
        assertThat(all.get("connectors").get("github").get("status").asText()).isEqualTo("connected");
        assertThat(all.get("connectors").get("google").get("status").asText()).isEqualTo("needs_reauth");
        assertThat(all.get("connectors").get("slack").get("status").asText()).isEqualTo("connected");
        assertThat(all.get("anyNeedsReauth").asBoolean()).isTrue();

        report(worker(orgA), success(u, "google", ""));
        all = json(status(user(u, orgA, "member"), u));
        assertThat(all.get("anyNeedsReauth").asBoolean()).isFalse();
    }

    @Test
    void reportWhenMalformedJsonThen400Problem() throws Exception {
        HttpResponse<String> r = report(worker(orgA), "{\"userId\": ");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
        assertThat(json(r).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void reportWhenFieldsInvalidThen400ProblemNamingTheField() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> badId = report(worker(orgA), "{\"userId\":\"not-a-uuid\",\"connector\":\"github\",\"outcome\":\"success\"}");
        assertThat(badId.code()).isEqualTo(400);
        assertThat(json(badId).get("detail").asText()).contains("userId");
        HttpResponse<String> badOutcome = report(worker(orgA), "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"maybe\"}");
        assertThat(badOutcome.code()).isEqualTo(400);
        assertThat(json(badOutcome).get("detail").asText()).contains("outcome");
        HttpResponse<String> badConnector = report(worker(orgA), "{\"userId\":\"" + u + "\",\"connector\":\"Git Hub!\",\"outcome\":\"success\"}");
        assertThat(badConnector.code()).isEqualTo(400);
        HttpResponse<String> future = report(worker(orgA), success(u, "github", ",\"observedAt\":\"2999-01-01T00:00:00Z\""));
        assertThat(future.code()).isEqualTo(400);
        assertThat(json(future).get("detail").asText()).contains("observedAt");
    }

    @Test
    void reportWhenUserOfAnotherOrgOrUnknownThen404AndNothingWritten() throws Exception {
        UUID other = auth.newUser(orgB);
        UUID mine = auth.newUser(orgA);
        HttpResponse<String> r = report(worker(orgA), "[" + success(mine, "github", "") + "," + success(other, "github", "") + "]");
        assertThat(r.code()).isEqualTo(404);
        HttpResponse<String> unknown = report(worker(orgA), success(UUID.randomUUID(), "github", ""));
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(json(unknown).get("detail")).isEqualTo(json(r).get("detail"));
        assertThat(json(status(user(mine, orgA, "member"), mine)).get("connectors").size()).isZero();
    }

    @Test
    void reportWhenTokenMissingOrScopeMissingThen401Or403() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> none = exchange(HttpRequest.POST("/api/health/reports", success(u, "github", ""))
                .contentType("application/json"));
        assertThat(none.code()).isEqualTo(401);
        HttpResponse<String> noScope = report(issuer.serviceToken("w", orgA, "tokens:read"), success(u, "github", ""));
        assertThat(noScope.code()).isEqualTo(403);
        assertThat(noScope.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
    }

    @Test
    void reportWhenForgedTokensThen401() {
        UUID u = auth.newUser(orgA);
        JWTClaimsSet valid = issuer.claims("worker", "worker", "health:report").claim("org_id", orgA.toString()).build();
        List<String> forged = List.of(
                issuer.unsigned(valid),
                issuer.hmacSigned(valid),
                issuer.sign(new JWTClaimsSet.Builder(valid).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()),
                issuer.sign(new JWTClaimsSet.Builder(valid).issuer("https://evil.example").build()),
                issuer.sign(new JWTClaimsSet.Builder(valid).audience("someone-else").build()),
                io.linkguard.testsupport.TestTokenIssuer.tampered(issuer.sign(valid)));
        for (String token : forged) {
            assertThat(report(token, success(u, "github", "")).code()).isEqualTo(401);
        }
        assertThat(report(issuer.sign(valid), success(u, "github", "")).code()).isEqualTo(200);
    }

    @Test
    void internalReportWhenServiceTokenWithoutInternalScopeThen403() {
        UUID u = auth.newUser(orgA);
        String body = "{\"orgId\":\"" + orgA + "\",\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"success\"}";
        HttpResponse<String> asWorker = exchange(HttpRequest.POST("/internal/health/reports", body).bearerAuth(worker(orgA))
                .contentType("application/json"));
        assertThat(asWorker.code()).isEqualTo(403);
        HttpResponse<String> asService = exchange(HttpRequest.POST("/internal/health/reports", body)
                .bearerAuth(issuer.internalToken("linkguard-token-refresher")).contentType("application/json"));
        assertThat(asService.code()).isEqualTo(200);
    }

    @Test
    void reportWhen100ConcurrentReportsThenRowAndHistoryAgree() throws Exception {
        UUID u = auth.newUser(orgA);
        String token = worker(orgA);
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            Callable<Integer> call = () -> {
                start.await();
                String observed = ",\"observedAt\":\"" + base.plusSeconds(n) + "\"";
                return report(token, n % 3 == 0 ? failure(u, "github", ",\"errorCode\":\"invalid_grant\"" + observed)
                        : n % 3 == 1 ? success(u, "github", observed)
                        : failure(u, "github", ",\"errorCode\":\"server_error\"" + observed)).code();
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        for (Future<Integer> f : futures) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        // The newest report (n = 99, a permanent failure) wins whatever the arrival order; a success
        // that arrives after a newer report was applied is ignored, so the last success is one of them.
        JsonNode github = connector(u, "github");
        assertThat(github.get("status").asText()).isEqualTo("needs_reauth");
        assertThat(github.get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(Instant.parse(github.get("lastFailureAt").asText())).isEqualTo(base.plusSeconds(99));
        long successSecond = Instant.parse(github.get("lastSuccessAt").asText()).getEpochSecond() - base.getEpochSecond();
        assertThat(successSecond % 3).isEqualTo(1);
        assertThat(successSecond).isLessThanOrEqualTo(97);
        // History is a chain: each entry starts where the previous ended, and ends at the row's status.
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT from_status, to_status FROM health.connector_health_history WHERE user_id = '"
                     + u + "' ORDER BY id")) {
            String previous = null;
            int entries = 0;
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo(previous);
                assertThat(rs.getString(2)).isNotEqualTo(previous);
                previous = rs.getString(2);
                entries++;
            }
            assertThat(entries).isPositive();
            assertThat(previous).isEqualTo("needs_reauth");
        }
    }

    @Test
    void deleteUserWhenInternalCallThenNoRowOfTheUserRemainsInAnyTable() throws Exception {
        UUID u = auth.newUser(orgA);
        UUID keep = auth.newUser(orgA);
        report(worker(orgA), failure(u, "github", ",\"errorCode\":\"invalid_grant\""));
        report(worker(orgA), success(keep, "github", ""));
        exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", Map.of("paused", true)).bearerAuth(user(u, orgA, "member")));

        auth.deleteUser(u);
        HttpResponse<String> del = exchange(HttpRequest.DELETE("/internal/users/" + u).bearerAuth(issuer.internalToken("linkguard-auth-server")));
        assertThat(del.code()).isEqualTo(204);
        // a report queued for the user before the deletion and delivered after it is dropped, not applied
        HttpResponse<String> late = exchange(HttpRequest.POST("/internal/health/reports",
                        "{\"orgId\":\"" + orgA + "\",\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"success\"}")
                .bearerAuth(issuer.internalToken("linkguard-token-refresher")).contentType("application/json"));
        assertThat(late.code()).isEqualTo(200);
        assertThat(late.body()).contains("\"applied\":false");
        assertThat(exchange(HttpRequest.DELETE("/internal/users/" + u).bearerAuth(issuer.internalToken("linkguard-auth-server"))).code())
                .as("repeating a delivery is harmless").isEqualTo(204);
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            // every table of the schema that holds user data: none may keep a row of the user
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.columns WHERE table_schema = 'health' AND column_name = 'user_id'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("connector_health", "connector_health_history", "automation_pause");
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM health." + t + " WHERE user_id = '" + u + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(t).isZero();
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM health.connector_health WHERE user_id = '" + keep + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("another user's rows stay").isEqualTo(1);
            }
        }
    }

    @Test
    void schemaWhenAnyForeignKeyReferencesUsersThenItCascades() throws Exception {
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT conname, confdeltype FROM pg_constraint
                      WHERE contype = 'f' AND connamespace = 'health'::regnamespace
                        AND confrelid::regclass::text ~ 'users'""")) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as("ON DELETE CASCADE on " + rs.getString(1)).isEqualTo("c");
            }
        }
    }
    HttpResponse<String> removal(String token, UUID user, String connector, UUID profile) {
        return exchange(HttpRequest.POST("/internal/health/removals", "[{\"orgId\":\"" + orgA + "\",\"userId\":\"" + user
                + "\",\"connector\":\"" + connector + "\",\"authProfileId\":\"" + profile + "\"}]")
                .bearerAuth(token).contentType("application/json"));
    }

    @Test
    void removalWhenConnectionDeletedThenItsRowAndBannerGoButAnotherConnectionsRowStays() throws Exception {
        UUID u = auth.newUser(orgA);
        UUID profile = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        String service = issuer.internalToken("linkguard-token-refresher");
        report(worker(orgA), failure(u, "github", ",\"errorCode\":\"invalid_grant\",\"authProfileId\":\"" + profile + "\""));
        report(worker(orgA), failure(u, "slack", ",\"errorCode\":\"invalid_grant\",\"authProfileId\":\"" + newer + "\""));
        assertThat(json(status(user(u, orgA, "member"), u)).get("anyNeedsReauth").asBoolean()).isTrue();

        assertThat(removal(worker(orgA), u, "github", profile).code()).as("workers cannot").isEqualTo(403);
        assertThat(removal(service, u, "github", profile).code()).isEqualTo(204);
        assertThat(removal(service, u, "slack", profile).code()).as("slack's row is another connection's").isEqualTo(204);
        JsonNode after = json(status(user(u, orgA, "member"), u));
        assertThat(after.get("connectors").has("github")).isFalse();
        assertThat(after.get("connectors").get("slack").get("status").asText()).isEqualTo("needs_reauth");
        assertThat(removal(service, u, "github", profile).code()).as("repeatable").isEqualTo(204);
        HttpResponse<String> bad = exchange(HttpRequest.POST("/internal/health/removals", "[{\"userId\":\"x\"}]")
                .bearerAuth(service).contentType("application/json"));
        assertThat(bad.code()).isEqualTo(400);
        assertThat(body(bad)).doesNotContain("Exception");
    }
    @Test
    void reportWhenTheUserRevokedAccessAtTheProviderThenRevokedWithReconnectLinkAndHistory() throws Exception {
        UUID u = auth.newUser(orgA);
        report(worker(orgA), success(u, "slack", ""));
        HttpResponse<String> r = report(worker(orgA), failure(u, "slack", ",\"errorCode\":\"token_revoked\""));
        assertThat(json(r).get("results").get(0).get("status").asText()).isEqualTo("revoked");
        JsonNode all = json(status(user(u, orgA, "member"), u));
        JsonNode slack = all.get("connectors").get("slack");
        assertThat(slack.get("status").asText()).isEqualTo("revoked");
        assertThat(slack.get("errorCode").asText()).isEqualTo("token_revoked");
        assertThat(slack.get("reconnectUrl").asText()).isEqualTo("https://linkguard.example/reconnect/slack");
        assertThat(all.get("anyNeedsReauth").asBoolean()).as("a reconnect is needed").isTrue();
        // a provider's own JSON body works as well, and reconnecting clears it
        report(worker(orgA), success(u, "slack", ""));
        report(worker(orgA), failure(u, "slack", ",\"providerResponse\":\"{\\\"ok\\\":false,\\\"error\\\":\\\"app_uninstalled\\\"}\""));
        assertThat(connector(u, "slack").get("status").asText()).isEqualTo("revoked");
        report(worker(orgA), success(u, "slack", ""));
        assertThat(connector(u, "slack").get("status").asText()).isEqualTo("connected");
    }
}
