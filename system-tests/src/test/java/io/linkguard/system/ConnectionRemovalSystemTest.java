package io.linkguard.system;

import io.linkguard.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection ends cleanly, through the gateway: deleting it clears its "Reconnect" banner on the
 * next poll, and its grant is revoked at the provider (recorded), so nothing outlives it.
 */
class ConnectionRemovalSystemTest {

    final RunningSystem sys = RunningSystem.get();

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    @Test
    void deleteConnectionWhenItNeedsReauthThenTheBannerGoesAndTheGrantIsRevokedAtTheProvider() {
        Tenant t = Tenant.create(sys);
        String[] member = t.addMember(sys, "member");
        String profileId = Tenant.connectMock(sys, member[1]);
        String worker = t.workerToken(sys);
        Http.Response report = Http.postJson(sys.gateway() + "/api/health/reports", worker,
                Map.of("userId", member[0], "connector", "mock", "outcome", "failure", "errorCode", "invalid_grant"));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        String status = sys.gateway() + "/api/connectors/" + member[0] + "/status";
        assertThat(Http.get(status, member[1]).json().get("anyNeedsReauth").asBoolean()).isTrue();

        Http.Response del = Http.delete(sys.gateway() + "/api/auth-profiles/" + profileId, member[1]);
        assertThat(del.status()).as(del.body()).isEqualTo(204);

        await("the banner is gone on the next poll", () -> {
            Http.Response s = Http.get(status, member[1]);
            return s.status() == 200 && !s.json().get("connectors").has("mock") && !s.json().get("anyNeedsReauth").asBoolean();
        });
        await("the grant is revoked at the provider", () -> sys.count("SELECT count(*) FROM refresher.provider_revocations"
                + " WHERE auth_profile_id = ? AND outcome = 'revoked'", UUID.fromString(profileId)) == 1);
        assertThat(Http.post(sys.gateway() + "/api/connections/" + profileId + "/access-token", worker).status())
                .isEqualTo(404);
    }
}
