package io.linkguard.refresher;

import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.refresh.RefreshService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What replicas share and what survives trouble: one provider budget for every replica, a rotated
 * token that is saved even when the first saves fail, and a shutdown that finishes the refreshes
 * already sent instead of dropping their rotated tokens.
 */
@MicronautTest(transactional = false)
class SharedGuardAndShutdownTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    TokenCipher cipher;
    @Inject
    RefreshService refresh;

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @BeforeEach
    void resetMock() {
        mock.clearFailures();
        mock.resetCounters();
        mock.tokenLatency(Duration.ZERO);
        mock.rotateRefreshTokens(true);
    }

    private Map<String, Object> backgroundReplica(double budget) {
        Map<String, Object> p = new HashMap<>(getProperties());
        p.put("linkguard.refresher.providers.mock.max-requests-per-second", String.valueOf(budget));
        p.put("linkguard.refresher.background.enabled", "true");
        p.put("linkguard.refresher.background.interval", "100ms");
        p.put("linkguard.refresher.background.concurrency", "8");
        return p;
    }

    @Test
    void backgroundWhenTwoReplicasShareABudgetOf5PerSecondThenTheProviderSeesAtMost5PerSecond() {
        seed(base(), cipher, refresh, "budget", 150, Instant.now().plusSeconds(120));
        mock.resetCounters();
        List<long[]> samples = new ArrayList<>(); // {nanos, refresh requests so far}
        try (ApplicationContext one = ApplicationContext.run(EmbeddedServer.class, backgroundReplica(5)).getApplicationContext();
             ApplicationContext two = ApplicationContext.run(EmbeddedServer.class, backgroundReplica(5)).getApplicationContext()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mock.refreshRequests() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // the jobs start a few seconds after the replicas
            }
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                samples.add(new long[] {System.nanoTime(), mock.refreshRequests()});
                LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
            }
        }
        long started = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow()[0];
        long inFirst4s = samples.stream().filter(s -> s[0] <= started + Duration.ofSeconds(4).toNanos())
                .mapToLong(s -> s[1]).max().orElseThrow();
        // a bucket of one second's worth plus 5/s: at most 5 + 4 × 5 in four seconds, for both replicas
        // together (two budgets of their own would allow twice that); and work does get done
        assertThat(inFirst4s).as("requests in the first 4 s").isBetween(15L, 26L);
        long peakWindow = 0;
        for (long[] from : samples) {
            long upTo = samples.stream().filter(s -> s[0] <= from[0] + Duration.ofSeconds(1).toNanos())
                    .mapToLong(s -> s[1]).max().orElseThrow();
            peakWindow = Math.max(peakWindow, upTo - from[1]);
        }
        assertThat(peakWindow).as("busiest second (burst of 5 + 5/s)").isLessThanOrEqualTo(11L);
    }

    @Test
    void refreshWhenSavingTheRotatedTokenFailsTwiceThenItIsRetriedFromMemoryAndKept() {
        String user = "save-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        // the database refuses the first two saves of this row's new tokens (as during a failover)
        updateRows("CREATE SEQUENCE refresher.failed_saves");
        updateRows("CREATE FUNCTION refresher.refuse_saves() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.auth_profile_id = '" + id + "' AND NEW.access_token_ct IS DISTINCT FROM OLD.access_token_ct"
                + " AND nextval('refresher.failed_saves') <= 2 THEN RAISE EXCEPTION 'simulated outage'; END IF;"
                + " RETURN NEW; END $$");
        updateRows("CREATE TRIGGER refuse_saves BEFORE UPDATE ON refresher.credentials FOR EACH ROW"
                + " EXECUTE FUNCTION refresher.refuse_saves()");
        try {
            Response r = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            String token = field(r.body(), "accessToken");
            assertThat(mock.refreshRequests(user)).as("one refresh at the provider").isEqualTo(1);
            assertThat(mock.isAccessTokenActive(token)).as("the worker got the rotated token").isTrue();
            assertThat(column("SELECT last_value FROM refresher.failed_saves")).as("two saves were refused").isEqualTo(3L);
            assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo(2L);
            // what was stored is what the provider now accepts: served again without another refresh
            Response again = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
            assertThat(field(again.body(), "accessToken")).isEqualTo(token);
            assertThat(mock.refreshRequests(user)).isEqualTo(1);
        } finally {
            updateRows("DROP TRIGGER refuse_saves ON refresher.credentials");
            updateRows("DROP FUNCTION refresher.refuse_saves()");
            updateRows("DROP SEQUENCE refresher.failed_saves");
        }
    }

    @Test
    void shutdownWhenARefreshIsAtTheProviderThenItFinishesAndItsRotatedTokenIsSaved() {
        String user = "drain-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(120).toString());
        updateRows("UPDATE refresher.credentials SET next_refresh_at = now() + interval '1 day' WHERE auth_profile_id <> ?", id);
        mock.tokenLatency(Duration.ofMillis(1500));
        ApplicationContext replica = ApplicationContext.run(EmbeddedServer.class, backgroundReplica(1000)).getApplicationContext();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mock.refreshRequests(user) == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        assertThat(mock.refreshRequests(user)).as("the replica's refresh reached the provider").isEqualTo(1);
        replica.close(); // while the provider is still answering
        mock.tokenLatency(Duration.ZERO);
        assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = ?", id))
                .as("the rotated token was saved before the replica stopped").isEqualTo(2L);
        Response r = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(mock.isAccessTokenActive(field(r.body(), "accessToken"))).isTrue();
        assertThat(mock.refreshRequests(user)).as("no second refresh").isEqualTo(1);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE lease_owner IS NOT NULL")).isEqualTo(0L);
    }
    @Test
    void reauthWhenItsReportCannotBeQueuedThenTheStateChangeIsRolledBackToo() {
        String user = "atomic-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        mock.revokeUser(user);
        // the report's insert fails once, inside the transaction that records needs_reauth
        updateRows("CREATE SEQUENCE refresher.failed_reports");
        updateRows("CREATE FUNCTION refresher.refuse_report() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.body LIKE '%" + id + "%' AND nextval('refresher.failed_reports') = 1"
                + " THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$");
        updateRows("CREATE TRIGGER refuse_report BEFORE INSERT ON refresher.report_outbox FOR EACH ROW"
                + " EXECUTE FUNCTION refresher.refuse_report()");
        try {
            Response failed = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
            assertThat(failed.status()).as(failed.body()).isNotIn(200, 409);
            assertThat(failed.body()).doesNotContain("simulated").doesNotContain("SQL");
            assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id))
                    .as("no needs_reauth that nobody would be told about").isEqualTo("active");
            assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE ?", "%" + id + "%")).isEqualTo(0L);
            // the next attempt records both
            Response again = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
            assertThat(again.status()).as(again.body()).isEqualTo(409);
            assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("needs_reauth");
            assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE ? AND target = 'health'",
                    "%" + id + "%")).isEqualTo(1L);
        } finally {
            updateRows("DROP TRIGGER refuse_report ON refresher.report_outbox");
            updateRows("DROP FUNCTION refresher.refuse_report()");
            updateRows("DROP SEQUENCE refresher.failed_reports");
        }
    }

    @Test
    void reauthWhenTheReplicaStopsBeforeDeliveringThenTheNextReplicaDeliversTheReport() {
        String user = "restart-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        mock.revokeUser(user);
        received.clear();
        Map<String, Object> cutOff = new HashMap<>(getProperties());
        String dead = "http://127.0.0.1:9"; // connector-health and auth-server unreachable for this replica
        cutOff.put("linkguard.health-url", dead);
        cutOff.put("linkguard.auth-url", dead);
        cutOff.put("linkguard.refresher.report-interval", "1h");
        try (ApplicationContext first = ApplicationContext.run(EmbeddedServer.class, cutOff).getApplicationContext()) {
            String firstBase = "http://127.0.0.1:" + first.getBean(EmbeddedServer.class).getPort();
            assertThat(call(firstBase, "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(409);
        }
        // the report outlives the replica that queued it: another replica (this test's own) delivers it
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (received.stream().noneMatch(r -> r.contains(id.toString()) && r.contains("invalid_grant"))
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(received).anyMatch(r -> r.contains(id.toString()) && r.contains("invalid_grant"));
    }
    /** While this replica waits for the provider, a second writer (another replica, a reconnect) stores a newer token. */
    private Response raceWithSecondWriter(UUID id, String winnerUser, Runnable beforeTheProviderAnswers) throws Exception {
        mock.tokenLatency(Duration.ofMillis(1200));
        java.util.concurrent.CompletableFuture<Response> loser = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mock.refreshRequests() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        mock.tokenLatency(Duration.ZERO);
        String[] g = grant(winnerUser);
        Response stored = call(base(), "PUT", "/internal/credentials/" + id, issuer.internalToken("linkguard-auth-server"),
                "{\"orgId\":\"" + orgA + "\",\"userId\":\"" + UUID.randomUUID() + "\",\"connectorKey\":\"mock\","
                        + "\"providerKey\":\"mock\",\"accessToken\":\"" + g[0] + "\",\"refreshToken\":\"" + g[1]
                        + "\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        beforeTheProviderAnswers.run();
        Response r = loser.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(field(r.body(), "accessToken")).as("the winner's token, not the loser's").isEqualTo(g[0]);
        return r;
    }

    @Test
    void refreshWhenASecondWriterSavesFirstThenTheLoserAnswersWithTheWinnersToken() throws Exception {
        UUID id = store(base(), "cas-" + UUID.randomUUID(), Instant.now().plusSeconds(20).toString());
        mock.resetCounters();
        raceWithSecondWriter(id, "cas-winner-" + UUID.randomUUID(), () -> { });
        assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = ?", id))
                .as("stored once by the winner, never overwritten by the loser").isEqualTo(2L);
    }

    @Test
    void refreshWhenItFailsWhileASecondWriterRotatedThenNoFailureIsRecorded() throws Exception {
        UUID id = store(base(), "flap-" + UUID.randomUUID(), Instant.now().plusSeconds(20).toString());
        mock.resetCounters();
        raceWithSecondWriter(id, "flap-winner-" + UUID.randomUUID(),
                () -> mock.injectFailure(io.linkguard.mock.Failure.serverError(), 1));
        assertThat(mock.refreshRequests()).isEqualTo(1);
        assertThat(column("SELECT consecutive_failures FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo(0);
        assertThat(column("SELECT last_error FROM refresher.credentials WHERE auth_profile_id = ?", id)).isNull();
        assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE ?", "%" + id + "%")).isEqualTo(0L);
    }
}
