package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class OperatorPauseTest extends HealthTestBase {

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.health.operator-paused", "true");
        p.put("linkguard.health.operator-reason", "Provider incident");
        return p;
    }

    @Test
    void stateWhenOperatorPausedThenOperatorWinsOverUser() throws Exception {
        UUID u = auth.newUser(orgA);
        String token = user(u, orgA, "member");
        exchange(HttpRequest.PUT("/api/users/" + u + "/automation-pause", Map.of("paused", true, "reason", "mine")).bearerAuth(token));
        HttpResponse<String> r = exchange(HttpRequest.GET("/api/users/" + u + "/automation-state").bearerAuth(token));
        JsonNode s = new ObjectMapper().readTree(body(r));
        assertThat(s.get("operatorPaused").asBoolean()).isTrue();
        assertThat(s.get("operatorReason").asText()).isEqualTo("Provider incident");
        assertThat(s.get("userPaused").asBoolean()).isTrue();
        assertThat(s.get("effectivePaused").asBoolean()).isTrue();
        assertThat(s.get("pausedBy").asText()).isEqualTo("operator");
    }
}
