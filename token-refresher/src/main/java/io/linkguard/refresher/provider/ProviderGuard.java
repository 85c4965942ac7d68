package io.linkguard.refresher.provider;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per provider: a request budget (token bucket) and a circuit breaker. During an outage the
 * breaker opens after a run of transient failures across credentials, so the refresher backs
 * off as a whole (one incident, not thousands of users marked broken); after a pause one probe
 * is let through (half-open) and its result closes or re-opens the breaker.
 */
@Singleton
public class ProviderGuard {

    static final int TRIP_AFTER = 5;
    static final Duration OPEN_FOR = Duration.ofSeconds(30);

    /** Breaker states, also exported as a gauge (0 closed, 1 half-open, 2 open). */
    public enum State { CLOSED, HALF_OPEN, OPEN }

    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Breaker {
        int consecutiveFailures;
        long openUntilNanos;
        boolean probing;
    }

    private static final class Bucket {
        double tokens;
        long lastNanos = System.nanoTime();
    }

    /** @return whether a request to the provider may be sent now (budget and breaker both allow it) */
    public synchronized boolean tryAcquire(ProviderConfiguration p) {
        Breaker b = breakers.computeIfAbsent(p.key(), k -> new Breaker());
        long now = System.nanoTime();
        if (b.openUntilNanos != 0) {
            if (now < b.openUntilNanos || b.probing) {
                return false;
            }
            b.probing = true; // half-open: exactly one probe
        }
        Bucket bucket = buckets.computeIfAbsent(p.key(), k -> {
            Bucket nb = new Bucket();
            nb.tokens = Math.max(1, p.maxRequestsPerSecond());
            return nb;
        });
        double rate = Math.max(0.1, p.maxRequestsPerSecond());
        bucket.tokens = Math.min(Math.max(1, rate), bucket.tokens + (now - bucket.lastNanos) / 1e9 * rate);
        bucket.lastNanos = now;
        if (bucket.tokens < 1) {
            if (b.probing) {
                b.probing = false;
            }
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    public synchronized void success(String provider) {
        Breaker b = breakers.computeIfAbsent(provider, k -> new Breaker());
        b.consecutiveFailures = 0;
        b.openUntilNanos = 0;
        b.probing = false;
    }

    /** A transient failure (5xx, 429, network). Permanent refusals are the credential's problem, not the provider's. */
    public synchronized void transientFailure(String provider) {
        Breaker b = breakers.computeIfAbsent(provider, k -> new Breaker());
        b.consecutiveFailures++;
        if (b.probing || b.consecutiveFailures >= TRIP_AFTER) {
            b.openUntilNanos = System.nanoTime() + OPEN_FOR.toNanos();
            b.probing = false;
        }
    }

    public synchronized State state(String provider) {
        Breaker b = breakers.get(provider);
        if (b == null || b.openUntilNanos == 0) {
            return State.CLOSED;
        }
        return System.nanoTime() < b.openUntilNanos ? State.OPEN : State.HALF_OPEN;
    }
}
