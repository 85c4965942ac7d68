package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class AutomationPauseTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    HttpResponse<String> put(String token, UUID userId, Object body) {
        return exchange(HttpRequest.PUT("/api/users/" + userId + "/automation-pause", body).bearerAuth(token));
    }

    JsonNode state(String token, UUID userId) throws Exception {
        HttpResponse<String> r = exchange(HttpRequest.GET("/api/users/" + userId + "/automation-state").bearerAuth(token));
        assertThat(r.code()).as(body(r)).isEqualTo(200);
        return JSON.readTree(body(r));
    }

    @Test
    void pauseWhenUserPausesThenStateRecordsWhenAndWhyAndRepeatKeepsThem() throws Exception {
        UUID u = auth.newUser(orgA);
        String token = user(u, orgA, "member");
        JsonNode before = state(token, u);
        assertThat(before.get("effectivePaused").asBoolean()).isFalse();
        assertThat(before.get("pausedBy").isNull()).isTrue();

        HttpResponse<String> r = put(token, u, Map.of("paused", true, "reason", "Going on holiday"));
        assertThat(r.code()).isEqualTo(200);
        JsonNode paused = state(token, u);
        assertThat(paused.get("userPaused").asBoolean()).isTrue();
        assertThat(paused.get("effectivePaused").asBoolean()).isTrue();
        assertThat(paused.get("pausedBy").asText()).isEqualTo("user");
        assertThat(paused.get("pausedReason").asText()).isEqualTo("Going on holiday");
        assertThat(paused.get("operatorPaused").asBoolean()).isFalse();
        String pausedAt = paused.get("pausedAt").asText();

        put(token, u, Map.of("paused", true, "reason", "again"));
        JsonNode repeated = state(token, u);
        assertThat(repeated.get("pausedAt").asText()).as("no change, no new timestamp").isEqualTo(pausedAt);
        assertThat(repeated.get("pausedReason").asText()).isEqualTo("Going on holiday");

        put(token, u, Map.of("paused", false));
        JsonNode resumed = state(token, u);
        assertThat(resumed.get("effectivePaused").asBoolean()).isFalse();
        assertThat(resumed.get("pausedAt").isNull()).isTrue();
        assertThat(resumed.get("pausedBy").isNull()).isTrue();
    }

    @Test
    void pauseWhenAdminOfSameOrgThenAllowedAndOtherMember403AndOtherOrg404() {
        UUID u = auth.newUser(orgA);
        UUID admin = auth.newUser(orgA);
        UUID member = auth.newUser(orgA);
        UUID outsider = auth.newUser(orgB);
        assertThat(put(user(admin, orgA, "admin"), u, Map.of("paused", true)).code()).isEqualTo(200);
        assertThat(put(user(member, orgA, "member"), u, Map.of("paused", false)).code()).isEqualTo(403);
        assertThat(put(user(outsider, orgB, "admin"), u, Map.of("paused", false)).code()).isEqualTo(404);
        assertThat(exchange(HttpRequest.GET("/api/users/" + u + "/automation-state").bearerAuth(user(outsider, orgB, "owner"))).code())
                .isEqualTo(404);
    }

    @Test
    void pauseWhenBodyInvalidThen400Problem() {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> missing = put(user(u, orgA, "member"), u, Map.of("reason", "x"));
        assertThat(missing.code()).isEqualTo(400);
        assertThat(missing.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
        HttpResponse<String> malformed = exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", "{paused:")
                .contentType("application/json").bearerAuth(user(u, orgA, "member")));
        assertThat(malformed.code()).isEqualTo(400);
    }

    @Test
    void internalStateWhenServiceAsksThenAnswersAndWorkersCannot() throws Exception {
        UUID u = auth.newUser(orgA);
        put(user(u, orgA, "member"), u, Map.of("paused", true, "reason", "maintenance"));
        HttpResponse<String> r = exchange(HttpRequest.GET("/internal/users/" + u + "/automation-state")
                .bearerAuth(issuer.internalToken("linkguard-token-refresher")));
        assertThat(r.code()).isEqualTo(200);
        assertThat(JSON.readTree(body(r)).get("effectivePaused").asBoolean()).isTrue();
        assertThat(exchange(HttpRequest.GET("/internal/users/" + u + "/automation-state").bearerAuth(worker(orgA))).code())
                .isEqualTo(403);
    }

    @Test
    void internalStatesWhenBatchAskedThenOnlyPausedUsersAndWorkersCannot() throws Exception {
        UUID paused = auth.newUser(orgA);
        UUID resumed = auth.newUser(orgA);
        UUID never = auth.newUser(orgA);
        put(user(paused, orgA, "member"), paused, Map.of("paused", true));
        put(user(resumed, orgA, "member"), resumed, Map.of("paused", true));
        put(user(resumed, orgA, "member"), resumed, Map.of("paused", false));
        Map<String, Object> ask = Map.of("userIds", List.of(paused.toString(), resumed.toString(), never.toString()));
        HttpResponse<String> r = exchange(HttpRequest.POST("/internal/automation-states", ask)
                .bearerAuth(issuer.internalToken("linkguard-token-refresher")));
        assertThat(r.code()).isEqualTo(200);
        var answer = JSON.readTree(body(r));
        assertThat(answer.get("operatorPaused").asBoolean()).isFalse();
        assertThat(answer.get("paused").size()).isEqualTo(1);
        assertThat(answer.get("paused").get(0).asText()).isEqualTo(paused.toString());
        assertThat(exchange(HttpRequest.POST("/internal/automation-states", ask).bearerAuth(worker(orgA))).code()).isEqualTo(403);
        HttpResponse<String> bad = exchange(HttpRequest.POST("/internal/automation-states", Map.of("userIds", List.of("nope")))
                .bearerAuth(issuer.internalToken("linkguard-token-refresher")));
        assertThat(bad.code()).isEqualTo(400);
    }
}
