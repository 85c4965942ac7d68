package io.linkguard.refresher;

import io.linkguard.mock.MockCounters;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.refresh.RefreshService;
import io.linkguard.testsupport.Await;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances share the background work: every due credential is refreshed exactly once per cycle. */
@MicronautTest(transactional = false)
class BackgroundRefreshTest extends RefresherTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefreshTest.class);
    /** Enough for both instances to race over many batches; the 10,000-row run is in bench/ (RefresherBench). */
    static final int CREDENTIALS = 1_000;

    @Inject
    EmbeddedServer server;

    @Inject
    TokenCipher cipher;

    @Inject
    RefreshService refresh;

    /** The test's own instance only stores (its job is off); the job runs in two further instances. */
    @Test
    void backgroundWhenTwoInstancesThenEachDueCredentialRefreshedExactlyOnce() {
        long seedStart = System.nanoTime();
        // expires in 2 minutes: inside the 5-minute refresh margin, so due now (but not for on-demand callers)
        List<String> users = seed("http://127.0.0.1:" + server.getPort(), cipher, refresh, "bg", CREDENTIALS,
                Instant.now().plusSeconds(120));
        LOG.info("Seeded {} credentials in {} ms", CREDENTIALS, Duration.ofNanos(System.nanoTime() - seedStart).toMillis());
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE next_refresh_at <= now()")).isEqualTo((long) CREDENTIALS);
        mock.resetCounters();

        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        try (ApplicationContext a = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext();
             ApplicationContext b = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long first = 0;
            while (mock.refreshRequests() < CREDENTIALS && System.nanoTime() < deadline) {
                if (first == 0 && mock.refreshRequests() > 0) {
                    first = System.nanoTime();
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            // the jobs start 5 s after their context (initialDelay): count from the first request
            LOG.info("{} refresh requests in {} ms after the first", mock.refreshRequests(),
                    Duration.ofNanos(System.nanoTime() - first).toMillis());
            // a few more cycles of both jobs: nothing may be refreshed twice
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        }
        MockCounters counters = mock.counters(); // one snapshot: each counters() call copies every user's count
        assertThat(counters.refreshRequests()).isEqualTo(CREDENTIALS);
        assertThat(users).as("mock users not refreshed exactly once")
                .filteredOn(user -> counters.refreshRequestsFor(user) != 1).isEmpty();
        assertThat(counters.successfulRefreshes()).isEqualTo(CREDENTIALS);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE next_refresh_at <= now()")).isEqualTo(0L);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE lease_owner IS NOT NULL")).isEqualTo(0L);
        // each row saved exactly once (version 1 → 2) and still active
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE version = 2 AND status = 'active'"))
                .isEqualTo((long) CREDENTIALS);
    }

    /**
     * The job keeps as many refreshes open as it has workers, not one batch at a time, and never more
     * at one provider than that provider's in-flight limit: against a provider that answers in 200 ms,
     * 64 workers keep far more than the old 16 requests open, and a limit of 3 holds at 3.
     */
    @Test
    void backgroundWhenProviderSlowThenWorkersStayBusyUpToTheProvidersInFlightLimit() {
        assertThat(openAtOnce(Map.of(), 200)).isGreaterThan(16);
        assertThat(openAtOnce(Map.of("linkguard.refresher.in-flight.mock", "3"), 60)).isEqualTo(3);
    }

    /** @return the most token requests the mock answered at once while one job instance drained {@code n} due rows */
    private int openAtOnce(Map<String, String> extra, int n) {
        updateRows("DELETE FROM refresher.credentials");
        List<String> users = seed("http://127.0.0.1:" + server.getPort(), cipher, refresh, "slow", n,
                Instant.now().plusSeconds(120));
        mock.resetCounters();
        mock.tokenLatency(Duration.ofMillis(200));
        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        jobProps.put("linkguard.refresher.background.concurrency", "64");
        jobProps.putAll(extra);
        try (ApplicationContext job = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            Await.until("every slow credential refreshed", Duration.ofSeconds(60), () -> mock.refreshRequests() >= n);
        } finally {
            mock.tokenLatency(Duration.ZERO);
        }
        MockCounters counters = mock.counters();
        updateRows("DELETE FROM refresher.credentials"); // the other test counts every row of the table
        assertThat(users).as("mock users not refreshed exactly once")
                .filteredOn(user -> counters.refreshRequestsFor(user) != 1).isEmpty();
        return counters.maxConcurrentTokenRequests();
    }
}
