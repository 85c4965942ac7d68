package io.linkguard.refresher;

import io.linkguard.testsupport.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.micronaut.runtime.server.EmbeddedServer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report outbox ends cleanly: a report refused for good becomes a dead letter that a metric
 * shows (not a retry for ever), a deleted user's queued reports go with them, and delivered rows
 * are pruned after the retention.
 */
@MicronautTest(transactional = false)
class ReportOutboxTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry metrics;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.refresher.outbox-cleanup-interval", "300ms");
        p.put("linkguard.refresher.outbox-cleanup-delay", "300ms");
        return p;
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @BeforeEach
    void reset() {
        answering.clear();
        received.clear();
    }

    private void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    private long count(String sql, Object... params) {
        return ((Number) column(sql, params)).longValue();
    }

    @Test
    void deliverWhenTheTargetRefusesForGoodThenOneAttemptAndADeadLetterTheMetricShows() {
        String user = "refused-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        answering.put("/internal/auth-profiles/" + id + "/status", HttpStatus.NOT_FOUND.getCode());
        mock.revokeUser(user);
        assertThat(call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(409);
        await("the auth report is a dead letter", () -> count("SELECT count(*) FROM refresher.report_outbox WHERE target = 'auth'"
                + " AND path LIKE ? AND dead_at IS NOT NULL AND attempts = 1 AND last_error = 'HTTP 404'", "%" + id + "%") == 1);
        await("the health report was delivered", () -> received.stream().anyMatch(r -> r.contains(id.toString())));
        assertThat(metrics.get("linkguard.outbox.dead").tag("outbox", "refresher.report_outbox").gauge().value()).isGreaterThanOrEqualTo(1);
        Await.holdsFor("a dead letter is not retried", Duration.ofMillis(600), () -> count(
                "SELECT attempts FROM refresher.report_outbox WHERE target = 'auth' AND path LIKE ?", "%" + id + "%") == 1L);
    }

    @Test
    void deleteUserWhenReportsAreStillQueuedThenTheyGoWithTheUser() {
        String user = "leaving-" + UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        UUID id = store(base(), user, userId, Instant.now().plusSeconds(20).toString());
        answering.put("/internal/health/reports", HttpStatus.SERVICE_UNAVAILABLE.getCode());
        answering.put("/internal/auth-profiles/" + id + "/status", HttpStatus.SERVICE_UNAVAILABLE.getCode());
        mock.revokeUser(user);
        assertThat(call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(409);
        assertThat(count("SELECT count(*) FROM refresher.report_outbox WHERE user_id = ? AND delivered_at IS NULL", userId))
                .isEqualTo(2L);
        Response del = call(base(), "DELETE", "/internal/users/" + userId, issuer.internalToken("linkguard-auth-server"), null);
        assertThat(del.status()).isEqualTo(204);
        assertThat(count("SELECT count(*) FROM refresher.report_outbox WHERE user_id = ? OR body LIKE ?", userId, "%" + userId + "%"))
                .isZero();
        assertThat(count("SELECT count(*) FROM refresher.credentials WHERE user_id = ?", userId)).isZero();
        answering.clear();
        Await.holdsFor("nothing about the deleted user is delivered", Duration.ofMillis(600),
                () -> received.stream().noneMatch(r -> r.contains(userId.toString())));
    }

    @Test
    void pruneWhenDeliveredRowsAreOlderThanTheRetentionThenTheyAreDeleted() {
        updateRows("INSERT INTO refresher.report_outbox (target, path, body, delivered_at) VALUES"
                + " ('health', '/internal/health/reports', '[\"old\"]', now() - interval '8 days'),"
                + " ('health', '/internal/health/reports', '[\"recent\"]', now() - interval '1 day')");
        await("old delivered rows pruned", () -> count("SELECT count(*) FROM refresher.report_outbox WHERE body = '[\"old\"]'") == 0);
        assertThat(count("SELECT count(*) FROM refresher.report_outbox WHERE body = '[\"recent\"]'")).isEqualTo(1L);
    }
    @Test
    void deleteConnectionThenHealthIsToldToDropTheRowAndTheGrantIsRevokedAtTheProvider() {
        String user = "removed-" + UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        UUID id = store(base(), user, userId, Instant.now().plusSeconds(3600).toString());
        Response token = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
        String access = field(token.body(), "accessToken");
        assertThat(mock.isAccessTokenActive(access)).isTrue();

        Response del = call(base(), "DELETE", "/internal/credentials/" + id, issuer.internalToken("linkguard-auth-server"), null);
        assertThat(del.status()).isEqualTo(204);
        assertThat(count("SELECT count(*) FROM refresher.credentials WHERE auth_profile_id = ?", id)).isZero();
        await("connector-health told to drop the row", () -> received.stream()
                .anyMatch(r -> r.startsWith("POST /internal/health/removals") && r.contains(id.toString())));
        await("the grant revoked at the provider", () -> count("SELECT count(*) FROM refresher.provider_revocations"
                + " WHERE auth_profile_id = ? AND outcome = 'revoked' AND token_ct IS NULL", id) == 1);
        assertThat(mock.isAccessTokenActive(access)).as("revoking the refresh token ends its access tokens").isFalse();
        assertThat(call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(404);
        assertThat(call(base(), "DELETE", "/internal/credentials/" + id, issuer.internalToken("linkguard-auth-server"), null)
                .status()).as("repeatable").isEqualTo(204);
        assertThat(count("SELECT count(*) FROM refresher.provider_revocations WHERE auth_profile_id = ?", id)).isEqualTo(1L);
    }
}
