package io.linkguard.refresher.refresh;

import io.linkguard.refresher.config.BackgroundSettings;
import io.linkguard.refresher.config.RefresherSettings;
import io.linkguard.refresher.credential.Credential;
import io.linkguard.refresher.credential.CredentialRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Refreshes due credentials ahead of expiry (and idle ones at least daily). Rows are claimed with
 * leases ({@code FOR UPDATE SKIP LOCKED}) so replicas share the work without overlap; a crashed
 * replica's leases expire and others take the rows. The automation pause is honoured per user.
 *
 * <p>The job is a pipeline bounded by in-flight work, not a sequence of rounds: it claims rows only
 * as workers become free (at most {@code concurrency} refreshes open at once), so a row starts its
 * work as soon as it is claimed, well inside its lease, and a slow provider answer holds one worker,
 * never a whole batch. Throughput is then {@code concurrency ÷ provider latency} until the
 * provider's budget, its in-flight limit ({@link io.linkguard.refresher.provider.ProviderGuard}) or
 * the CPU stops it. No database connection is held while a provider is being waited for.
 */
@Singleton
@Requires(property = "linkguard.refresher.background.enabled", notEquals = "false")
class BackgroundRefreshJob {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefreshJob.class);
    static final int LEASE_SECONDS = 120;
    /** A row still waiting this long after its claim gets a fresh lease before its work starts. */
    static final Duration RENEW_AFTER = Duration.ofSeconds(LEASE_SECONDS / 4);
    /** At most this many rows per claim statement. */
    static final int MAX_CLAIM = 200;
    /** A bound on claims per run, whatever happens to the rows. */
    static final int MAX_CLAIMS = 1_000;
    /** A row that comes back from its work with nothing recorded waits this long before it is due again. */
    static final Duration IDLE_DELAY = Duration.ofMinutes(5);

    private final CredentialRepository credentials;
    private final RefreshService refresh;
    private final AutomationPause pause;
    private final ExecutorService pool;
    /** One permit per refresh that may be open at once. */
    private final Semaphore workers;
    private final String owner = "refresher-" + UUID.randomUUID();
    /** Rows per claim: the claim waits until this many workers are free (fewer only at the end of a run). */
    private final int claimSize;
    private final Duration drain;
    private volatile boolean stopping;
    /** Held while a run claims rows: shutdown waits for it, so no row is claimed and then forgotten. */
    private final ReentrantLock running = new ReentrantLock();

    BackgroundRefreshJob(CredentialRepository credentials, RefreshService refresh, AutomationPause pause, MeterRegistry metrics,
                         BackgroundSettings background, RefresherSettings settings) {
        int concurrency = background.concurrency();
        this.drain = settings.shutdownDrain();
        this.credentials = credentials;
        this.refresh = refresh;
        this.pause = pause;
        int threads = Math.max(1, concurrency);
        this.pool = workerThreads(threads);
        this.workers = new Semaphore(threads);
        // claims of a quarter of the workers: few claim statements, and rows never wait long for a worker
        this.claimSize = Math.max(1, Math.min(MAX_CLAIM, threads / 4));
        Gauge.builder("linkguard.refresh.queue.lag.seconds", credentials, CredentialRepository::queueLagSeconds)
                .description("How far past its refresh time the most overdue credential is").register(metrics);
        Gauge.builder("linkguard.refresh.background.in.flight", workers, w -> threads - w.availablePermits())
                .description("Background refreshes under way in this replica").register(metrics);
    }

    /**
     * On Java 21 and later, a virtual thread per refresh: a refresh spends nearly all its time waiting
     * for the provider, and a waiting virtual thread costs a few kilobytes, not an OS thread. On Java
     * 17, a fixed pool of platform threads. Either way {@link #workers} bounds how many run at once.
     */
    static ExecutorService workerThreads(int threads) {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException beforeJava21) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "background-refresh-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.background.interval:10s}", initialDelay = "5s")
    void run() {
        if (!running.tryLock()) {
            return;
        }
        try {
            claimWhileWorkersFree();
        } finally {
            running.unlock();
        }
    }

    private void claimWhileWorkersFree() {
        long deferredBefore = refresh.deferrals();
        for (int claims = 0; claims < MAX_CLAIMS && !stopping; claims++) {
            try {
                // wait for a claim's worth of free workers; refreshes under way keep freeing them
                if (!workers.tryAcquire(claimSize, 1, TimeUnit.SECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int free = claimSize;
            List<Credential> claimed = stopping ? List.of() : credentials.claimDue(owner, free, LEASE_SECONDS);
            workers.release(free - claimed.size());
            if (!claimed.isEmpty()) {
                pause.prefetch(claimed.stream().map(Credential::userId).distinct().toList());
            }
            long claimedAt = System.nanoTime();
            for (Credential c : claimed) {
                try {
                    pool.execute(() -> {
                        try {
                            one(c, claimedAt);
                        } catch (RuntimeException e) {
                            LOG.warn("Background refresh task failed: {}", e.toString());
                        } finally {
                            workers.release();
                        }
                    });
                } catch (RejectedExecutionException shuttingDown) {
                    workers.release();
                    credentials.release(c.authProfileId(), owner, null, Duration.ZERO);
                }
            }
            // Every claimed row leaves its work with a future next time (release pushes idle ones
            // out), so claims run dry and the run ends; MAX_CLAIMS is a second bound, not the
            // mechanism. A provider's budget or breaker saying "not now" also ends it: the rest
            // waits for the next run rather than being claimed and handed back in a loop.
            if (claimed.size() < free || refresh.deferrals() != deferredBefore) {
                return;
            }
        }
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
     * It runs on the shutdown event, before any bean is destroyed: the refreshes still need the
     * database and the report outbox.
     */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (stopping && pool.isShutdown()) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            // a run in progress hands every row it claimed to a worker (or back) before the pool closes
            if (running.tryLock(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                running.unlock();
            }
            pool.shutdown();
            if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("Background refreshes still running after {}; stopping them", drain);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
