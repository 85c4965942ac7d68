package io.linkguard.refresher.refresh;

import io.linkguard.refresher.credential.Credential;
import io.linkguard.refresher.credential.CredentialRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes due credentials ahead of expiry (and idle ones at least daily). Rows are claimed with
 * leases ({@code FOR UPDATE SKIP LOCKED}) so replicas share the work without overlap; a crashed
 * replica's leases expire and others take the rows. The automation pause is honoured per user.
 */
@Singleton
@Requires(property = "linkguard.refresher.background.enabled", notEquals = "false")
class BackgroundRefreshJob {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefreshJob.class);
    /** Rows leased per round: a few per worker thread, so every lease outlasts its round's work. */
    static final int ROWS_PER_THREAD = 4;
    static final int LEASE_SECONDS = 120;
    /** A row still waiting this long after its claim gets a fresh lease before its work starts. */
    static final Duration RENEW_AFTER = Duration.ofSeconds(LEASE_SECONDS / 4);
    /** A bound on rounds per run, whatever happens to the rows. */
    static final int MAX_ROUNDS = 100;
    /** A row that comes back from a round with nothing recorded waits this long before it is due again. */
    static final Duration IDLE_DELAY = Duration.ofMinutes(5);

    private final CredentialRepository credentials;
    private final RefreshService refresh;
    private final AutomationPause pause;
    private final ExecutorService pool;
    private final String owner = "refresher-" + UUID.randomUUID();
    private final int batch;
    private final Duration drain;
    private volatile boolean stopping;

    BackgroundRefreshJob(CredentialRepository credentials, RefreshService refresh, AutomationPause pause, MeterRegistry metrics,
                         @Value("${linkguard.refresher.background.concurrency:16}") int concurrency,
                         @Value("${linkguard.refresher.shutdown-drain:20s}") Duration drain) {
        this.drain = drain;
        this.credentials = credentials;
        this.refresh = refresh;
        this.pause = pause;
        this.pool = Executors.newFixedThreadPool(concurrency);
        // 200 rows with 16 threads could wait minutes behind slow providers and outlive their
        // 120 s lease (another replica could then send the same refresh token): size to the threads.
        this.batch = Math.max(1, Math.min(200, concurrency * ROWS_PER_THREAD));
        Gauge.builder("linkguard.refresh.queue.lag.seconds", credentials, CredentialRepository::queueLagSeconds)
                .description("How far past its refresh time the most overdue credential is").register(metrics);
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.background.interval:10s}", initialDelay = "5s")
    void run() {
        List<Credential> claimed;
        boolean heldBack;
        int rounds = 0;
        do {
            if (stopping) {
                return;
            }
            claimed = credentials.claimDue(owner, batch, LEASE_SECONDS);
            long deferredBefore = refresh.deferrals();
            pause.prefetch(claimed.stream().map(Credential::userId).distinct().toList());
            List<Future<?>> work = new ArrayList<>(claimed.size());
            long claimedAt = System.nanoTime();
            for (Credential c : claimed) {
                try {
                    work.add(pool.submit(() -> one(c, claimedAt)));
                } catch (RejectedExecutionException shuttingDown) {
                    credentials.release(c.authProfileId(), owner, null, Duration.ZERO);
                }
            }
            for (Future<?> f : work) {
                try {
                    f.get();
                } catch (Exception e) {
                    LOG.warn("Background refresh task failed: {}", e.toString());
                }
            }
            // a provider's budget or breaker said "not now": the rest waits for the next cycle
            heldBack = refresh.deferrals() != deferredBefore;
            rounds++;
            // Every claimed row leaves its round with a future next time (release pushes idle ones
            // out), so the rounds end; MAX_ROUNDS is a second bound, not the mechanism.
        } while (claimed.size() == batch && !heldBack && rounds < MAX_ROUNDS);
    }

    /** {@code c} is the row as claimed: read under the claim's row lock, and ours while the lease lasts. */
    private void one(Credential c, long claimedAt) {
        if (stopping) {
            // claimed but not started before shutdown: hand it back, due at once for another replica
            credentials.release(c.authProfileId(), owner, null, Duration.ZERO);
            return;
        }
        if (System.nanoTime() - claimedAt > RENEW_AFTER.toNanos()) {
            // This row waited behind slow ones: renew its lease so the whole of its work is covered.
            // If the lease lapsed and someone else refreshed it meanwhile (version moved), its
            // refresh token is stale: leave it alone rather than send a used token to the provider.
            Long version = credentials.acquireLease(c.authProfileId(), owner, LEASE_SECONDS);
            if (version == null || version != c.version()) {
                if (version != null) {
                    credentials.release(c.authProfileId(), owner, null, Duration.ZERO);
                }
                return;
            }
        }
        Instant postpone = null;
        try {
            if (pause.paused(c.userId())) {
                postpone = Instant.now().plusSeconds(300);
                return;
            }
            refresh.refreshInBackground(c, owner);
        } catch (RuntimeException e) {
            // needs_reauth and provider trouble are recorded on the row and reported; nothing else to do here
            LOG.debug("Background refresh of {}: {}", c.authProfileId(), e.toString());
        } finally {
            // after a successful save the lease is already gone and this matches no row (no write)
            credentials.release(c.authProfileId(), owner, postpone, IDLE_DELAY);
        }
    }

    /**
     * Shutdown stops claiming and lets refreshes already sent to a provider finish and be saved (a
     * rotated token dropped here would cost the user a reconnect), within a bound; rows claimed but
     * not started are handed back at once, so another replica takes them without waiting for the lease.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Background refreshes still running after {}; stopping them", drain);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
