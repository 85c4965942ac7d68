package io.linkguard.refresher.provider;

import io.linkguard.sql.Sql;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.linkguard.refresher.config.PerProviderSettings;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Per provider: a request budget (token bucket) and a circuit breaker, kept in PostgreSQL so that
 * every token-refresher replica shares them. N replicas together send at most the provider's
 * configured rate (the bucket holds at most one second's worth, so no window of T seconds sees
 * more than {@code rate × (T + 1)} requests), and during an outage the breaker opens once for all
 * of them after a run of transient failures across credentials: one incident, not thousands of
 * users marked broken. After a pause exactly one probe is let through (half-open), by whichever
 * replica asks first; its result closes or re-opens the breaker.
 *
 * <p>Each decision is one row-locked statement in its own short transaction with synchronous
 * commit off: the state is worth nothing after a crash (the bucket refills, the breaker closes),
 * so no request waits for a disk flush. A replica takes up to 50 ms worth of the budget at once
 * (at most 100 requests) and spends it locally, so at high rates the row is written once per chunk,
 * not once per request; a success writes only when this replica last saw failures to reset.
 *
 * <p>Besides the shared rate, each replica bounds how many requests it has open at a provider at once
 * ({@code linkguard.refresher.in-flight.<key>}, else {@code .default}): a provider that answers slowly
 * or hangs until the timeout then holds at most that many of the job's workers, and the others keep
 * refreshing credentials of other providers.
 */
@Singleton
public class ProviderGuard {

    static final int TRIP_AFTER = 5;
    static final Duration OPEN_FOR = Duration.ofSeconds(30);
    /** How long a half-open probe may take before another replica may probe instead. */
    static final Duration PROBE_FOR = Duration.ofSeconds(30);

    /** At most this much of the budget (and never more than {@link #MAX_CHUNK} requests) is taken at once. */
    static final Duration CHUNK = Duration.ofMillis(50);
    static final int MAX_CHUNK = 100;

    /** What this replica holds of a provider's budget, and whether it knows of failures to reset. */
    private static final class Local {
        long tokens;
        volatile boolean failuresKnown = true;
    }

    private final Map<String, Local> locals = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final PerProviderSettings settings;

    /** Breaker states, also exported as a gauge (0 closed, 1 half-open, 2 open). */
    public enum State { CLOSED, HALF_OPEN, OPEN }

    private final Sql sql;
    private final TransactionOperations<Connection> tx;
    /** Providers whose row is known to exist (saves an insert attempt per request). */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final MeterRegistry metrics;
    private final Timer budgetWait;

    ProviderGuard(Sql sql, TransactionOperations<Connection> tx, MeterRegistry metrics, PerProviderSettings settings) {
        this.settings = settings;
        this.sql = sql;
        this.tx = tx;
        this.metrics = metrics;
        this.budgetWait = Timer.builder("linkguard.refresh.budget.wait")
                .description("How long refreshes waited for a provider's request budget").register(metrics);
    }

    /**
     * Waits, up to {@code maxWait}, for one of this replica's request slots at the provider and for
     * the provider's budget: a replica that finds the bucket empty sleeps until the next request's
     * worth has dripped in (with jitter, as other replicas wait too) rather than giving its work up,
     * so a rate-limited provider is used at its full rate. An open breaker answers at once: no
     * waiting through an outage. After {@code true} the caller must {@link #done(String)} when its
     * request has been answered (or has failed).
     *
     * @return whether a request may be sent now
     */
    public boolean acquire(ProviderConfiguration p, Duration maxWait) {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        Semaphore slots = inFlight.computeIfAbsent(p.key(), k -> new Semaphore(inFlightLimit(k)));
        boolean held = false;
        boolean sent = false;
        try {
            held = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            sent = held && budget(p, deadline);
            return sent;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (held && !sent) {
                slots.release();
            }
            budgetWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** The request that {@link #acquire} let through has been answered (or has failed): its slot is free. */
    public void done(String provider) {
        Semaphore slots = inFlight.get(provider);
        if (slots != null) {
            slots.release();
        }
    }

    /** @return how many requests this replica may have open at the provider at once */
    int inFlightLimit(String provider) {
        return settings.inFlight(provider);
    }

    private boolean budget(ProviderConfiguration p, long deadline) {
        while (true) {
            if (tryAcquire(p)) {
                return true;
            }
            Double wait = sql.one("""
                    SELECT CASE WHEN open_until IS NOT NULL THEN NULL
                                ELSE greatest(0.005, (1 - LEAST(?, tokens + ? * EXTRACT(EPOCH FROM clock_timestamp() - refilled_at))) / ?)
                           END
                      FROM provider_guard WHERE provider_key = ?""", rs -> {
                double w = rs.getDouble(1);
                return rs.wasNull() ? null : w;
            }, Math.max(1, rate(p)), rate(p), rate(p), p.key());
            if (wait == null) {
                return false; // breaker open or a probe under way
            }
            long pauseNanos = (long) (wait * 1e9 * (1 + ThreadLocalRandom.current().nextDouble()));
            if (System.nanoTime() + pauseNanos > deadline) {
                return false;
            }
            LockSupport.parkNanos(pauseNanos);
        }
    }

    private static double rate(ProviderConfiguration p) {
        return Math.max(0.1, p.maxRequestsPerSecond());
    }

    /** @return whether a request to the provider may be sent now (budget and breaker both allow it) */
    public boolean tryAcquire(ProviderConfiguration p) {
        Local local = locals.computeIfAbsent(p.key(), k -> new Local());
        synchronized (local) {
            if (local.tokens > 0) {
                local.tokens--;
                return true;
            }
        }
        double rate = rate(p);
        double burst = Math.max(1, rate);
        int chunk = (int) Math.max(1, Math.min(MAX_CHUNK, Math.floor(rate * CHUNK.toMillis() / 1000.0)));
        ensureRow(p.key(), burst);
        // Takes up to one chunk of the bucket at once (the half-open probe: exactly one), so a busy
        // replica writes the row once per chunk rather than once per request.
        int[] taken = write(() -> sql.one("""
                WITH cur AS (
                  SELECT provider_key, open_until, consecutive_failures,
                         LEAST(?, tokens + ? * EXTRACT(EPOCH FROM clock_timestamp() - refilled_at)) AS avail
                    FROM provider_guard WHERE provider_key = ? FOR UPDATE)
                UPDATE provider_guard g
                   SET tokens = cur.avail - LEAST(CASE WHEN cur.open_until IS NULL THEN ? ELSE 1 END, floor(cur.avail)),
                       refilled_at = clock_timestamp(),
                       probe_until = CASE WHEN cur.open_until IS NOT NULL
                                          THEN clock_timestamp() + make_interval(secs => ?) ELSE NULL END
                  FROM cur
                 WHERE g.provider_key = cur.provider_key
                   AND cur.avail >= 1
                   AND (g.open_until IS NULL
                        OR (g.open_until <= clock_timestamp()
                            AND (g.probe_until IS NULL OR g.probe_until <= clock_timestamp())))
                RETURNING CAST(LEAST(CASE WHEN cur.open_until IS NULL THEN ? ELSE 1 END, floor(cur.avail)) AS int),
                          CASE WHEN cur.consecutive_failures > 0 OR cur.open_until IS NOT NULL THEN 1 ELSE 0 END""",
                rs -> new int[] {rs.getInt(1), rs.getInt(2)},
                burst, rate, p.key(), chunk, (double) PROBE_FOR.toSeconds(), chunk));
        if (taken == null) {
            return false;
        }
        synchronized (local) {
            local.tokens += taken[0] - 1;
            local.failuresKnown = taken[1] == 1;
        }
        return true;
    }

    /** A successful request: the breaker closes and the run of failures ends. */
    public void success(String provider) {
        Local local = locals.get(provider);
        if (local != null && !local.failuresKnown) {
            return; // the breaker was closed without failures when this replica last looked: nothing to reset
        }
        if (local != null) {
            local.failuresKnown = false;
        }
        write(() -> sql.update("""
                UPDATE provider_guard SET consecutive_failures = 0, open_until = NULL, probe_until = NULL
                 WHERE provider_key = ? AND (consecutive_failures <> 0 OR open_until IS NOT NULL)""", provider));
    }

    /**
     * A transient failure (5xx, 429, network). Permanent refusals are the credential's problem, not
     * the provider's. A failed probe re-opens the breaker at once; otherwise it opens after
     * {@link #TRIP_AFTER} failures in a row, across all replicas.
     */
    public void transientFailure(String provider) {
        Local local = locals.computeIfAbsent(provider, k -> new Local());
        synchronized (local) {
            local.tokens = 0;           // look at the breaker again before the next request
            local.failuresKnown = true;
        }
        write(() -> sql.update("""
                UPDATE provider_guard
                   SET consecutive_failures = consecutive_failures + 1,
                       open_until = CASE WHEN probe_until IS NOT NULL
                                           OR (open_until IS NULL AND consecutive_failures + 1 >= ?)
                                         THEN clock_timestamp() + make_interval(secs => ?) ELSE open_until END,
                       trips = trips + CASE WHEN open_until IS NULL AND consecutive_failures + 1 >= ? THEN 1 ELSE 0 END,
                       probe_until = NULL
                 WHERE provider_key = ?""", TRIP_AFTER, (double) OPEN_FOR.toSeconds(), TRIP_AFTER, provider));
    }

    /** @return the breaker's state as every replica sees it */
    public State state(String provider) {
        String s = sql.one("""
                SELECT CASE WHEN open_until IS NULL THEN 'CLOSED'
                            WHEN open_until > clock_timestamp() THEN 'OPEN' ELSE 'HALF_OPEN' END
                  FROM provider_guard WHERE provider_key = ?""", rs -> rs.getString(1), provider);
        return s == null ? State.CLOSED : State.valueOf(s);
    }

    /** @return how many times the breaker has opened for this provider (all replicas) */
    public long trips(String provider) {
        Long n = sql.one("SELECT trips FROM provider_guard WHERE provider_key = ?", rs -> rs.getLong(1), provider);
        return n == null ? 0 : n;
    }

    private void ensureRow(String provider, double burst) {
        if (known.contains(provider)) {
            return;
        }
        sql.update("INSERT INTO provider_guard (provider_key, tokens) VALUES (?, ?) ON CONFLICT DO NOTHING",
                provider, burst);
        if (known.add(provider)) {
            Gauge.builder("linkguard.refresh.breaker.state", this, g -> g.state(provider).ordinal())
                    .tag("provider", provider).description("0 closed, 1 half-open, 2 open (shared by all replicas)")
                    .register(metrics);
            FunctionCounter.builder("linkguard.refresh.breaker.trips", this, g -> g.trips(provider))
                    .tag("provider", provider).description("How often the breaker opened (all replicas)")
                    .register(metrics);
        }
    }

    private <T> T write(java.util.function.Supplier<T> statement) {
        return tx.executeWrite(status -> {
            sql.update("SET LOCAL synchronous_commit TO OFF");
            return statement.get();
        });
    }
}
