package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkguard.launcher.DashboardLogin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation reaches every API: after an RFC 7009 revocation, a refresh-token reuse, or the
 * user's deletion, the access token is refused (401) by the gateway and by every service
 * directly within 2 seconds. Each place is polled with a short interval and the time until
 * its first 401 is measured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationSystemTest {

    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final String DASHBOARD = "linkguard-dashboard";

    RunningSystem sys;
    Tenant tenant;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        tenant = Tenant.create(sys);
    }

    record Member(String userId, String access, String refresh) {
    }

    /** A member of the tenant's org, signed in through the dashboard flow. */
    Member member() {
        String email = "member-" + UUID.randomUUID() + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        Http.Response r = Http.postJson(sys.gateway() + "/api/orgs/" + tenant.account.orgId() + "/users", tenant.ownerToken,
                Map.of("email", email, "password", password, "role", "member"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String userId = r.json().has("userId") ? r.json().get("userId").asText() : r.json().get("id").asText();
        try {
            JsonNode t = DashboardLogin.login(sys.gateway(), sys.config.publicUrl() + "/app/callback", email, password,
                    "connectors:read");
            return new Member(userId, t.get("access_token").asText(), t.get("refresh_token").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every place the token is checked: through the gateway (auth-server and a backend) and each service directly. */
    Map<String, HttpRequest.Builder> places(String userId) {
        String status = "/api/connectors/" + userId + "/status";
        Map<String, HttpRequest.Builder> p = new LinkedHashMap<>();
        p.put("gateway /api/me", HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/me")).GET());
        p.put("gateway connector status", HttpRequest.newBuilder(URI.create(sys.gateway() + status)).GET());
        p.put("auth-server /api/me", HttpRequest.newBuilder(URI.create(sys.url("auth-server") + "/api/me")).GET());
        p.put("connector-health status", HttpRequest.newBuilder(URI.create(sys.url("connector-health") + status)).GET());
        // the member lacks tokens:read: an accepted token answers 403, a refused one 401
        p.put("token-refresher access-token", HttpRequest.newBuilder(URI.create(sys.url("token-refresher")
                + "/api/connections/" + UUID.randomUUID() + "/access-token")).POST(HttpRequest.BodyPublishers.noBody()));
        return p;
    }

    int status(HttpRequest.Builder place, String token) {
        return Http.send(place.copy().header("Authorization", "Bearer " + token)).status();
    }

    void assertAcceptedEverywhere(String userId, String token) {
        // twice, so each service has the token's signature cached: the revocation must still reach it
        for (int i = 0; i < 2; i++) {
            places(userId).forEach((name, place) -> assertThat(status(place, token)).as(name).isNotEqualTo(401));
        }
    }

    /** Polls every place until it answers 401; fails when one takes longer than the bound. */
    void assertRefusedEverywhereWithinBound(String userId, String token, long eventNanos) {
        Map<String, Duration> took = new HashMap<>();
        Map<String, HttpRequest.Builder> pending = new LinkedHashMap<>(places(userId));
        long giveUp = eventNanos + Duration.ofSeconds(10).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < giveUp) {
            pending.entrySet().removeIf(e -> {
                if (status(e.getValue(), token) == 401) {
                    took.put(e.getKey(), Duration.ofNanos(System.nanoTime() - eventNanos));
                    return true;
                }
                return false;
            });
            LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
        }
        assertThat(pending.keySet()).as("still accepting the token 10 s after its revocation").isEmpty();
        took.forEach((name, d) -> assertThat(d).as(name + " refused the token after " + d.toMillis() + " ms")
                .isLessThanOrEqualTo(BOUND));
    }

    @Test
    void accessTokenWhenRevokedThenRefusedEverywhereWithinTwoSeconds() {
        Member m = member();
        assertAcceptedEverywhere(m.userId(), m.access());

        long event = System.nanoTime();
        Http.Response revoked = Http.postForm(sys.gateway() + "/oauth/revoke",
                Map.of("token", m.access(), "token_type_hint", "access_token", "client_id", DASHBOARD), null, null);
        assertThat(revoked.status()).isEqualTo(200);

        assertRefusedEverywhereWithinBound(m.userId(), m.access(), event);
    }

    @Test
    void refreshTokenWhenReusedThenFamilysAccessTokensRefusedEverywhereWithinTwoSeconds() {
        Member m = member();
        Http.Response rotated = Http.postForm(sys.gateway() + "/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", m.refresh(), "client_id", DASHBOARD), null, null);
        assertThat(rotated.status()).isEqualTo(200);
        String current = rotated.json().get("access_token").asText();
        assertAcceptedEverywhere(m.userId(), current);

        long event = System.nanoTime();
        Http.Response reuse = Http.postForm(sys.gateway() + "/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", m.refresh(), "client_id", DASHBOARD), null, null);
        assertThat(reuse.status()).isEqualTo(400);

        assertRefusedEverywhereWithinBound(m.userId(), current, event);
    }

    @Test
    void userWhenDeletedThenTheirTokensRefusedEverywhereWithinTwoSeconds() {
        Member m = member();
        assertAcceptedEverywhere(m.userId(), m.access());

        long event = System.nanoTime();
        Http.Response deleted = Http.delete(sys.gateway() + "/api/users/" + m.userId(), tenant.ownerToken);
        assertThat(deleted.status()).isEqualTo(204);

        assertRefusedEverywhereWithinBound(m.userId(), m.access(), event);
    }

    @Test
    void healthWhenListFollowedThenEveryServiceReportsItUp() {
        for (String service : new String[] {"api-gateway", "auth-server", "connector-health", "token-refresher"}) {
            Http.Response h = Http.get(sys.managementUrl(service) + "/health", null);
            assertThat(h.status()).as(service).isEqualTo(200);
            assertThat(h.body()).as(service).contains("revocationList");
        }
    }
}
