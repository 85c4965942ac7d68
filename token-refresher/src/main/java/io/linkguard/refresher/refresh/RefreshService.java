package io.linkguard.refresher.refresh;

import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;
import io.linkguard.refresher.credential.Credential;
import io.linkguard.refresher.credential.CredentialRepository;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.provider.ProviderClient;
import io.linkguard.refresher.provider.ProviderConfiguration;
import io.linkguard.refresher.provider.ProviderGuard;
import io.linkguard.refresher.provider.RefreshOutcome;
import io.linkguard.refresher.report.ReportOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Fresh provider tokens, with every safeguard against losing or clobbering a credential:
 * <ul>
 *   <li>single-flight per credential (keyed by its id, never a token value): concurrent callers in
 *       this process share one provider request;</li>
 *   <li>across replicas, the result is saved with a compare-and-swap on the version read; the loser
 *       re-reads and answers with the winner's token, never overwriting or clearing it;</li>
 *   <li>a rotated token is saved before anything else is done with it;</li>
 *   <li>before a failure is recorded the row is re-read: if someone else rotated meanwhile, their
 *       token is the answer, not a failure;</li>
 *   <li>a request that may have reached the provider (timeout, dropped connection) is never
 *       replayed at once: the credential is marked {@code refresh_uncertain} and retried once,
 *       carefully, after a delay (a rotated-and-lost token then shows as invalid_grant → reconnect).</li>
 * </ul>
 */
@Singleton
public class RefreshService {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshService.class);
    static final Set<String> PERMANENT = Set.of("invalid_grant", "bad_refresh_token", "invalid_client", "unauthorized_client");
    static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 409, 423, 425, 429);
    static final Duration UNCERTAIN_RETRY = Duration.ofSeconds(30);
    static final Duration LEASE_WAIT = Duration.ofSeconds(25);
    static final int LEASE_SECONDS = 30;

    private final CredentialRepository credentials;
    private final TokenCipher cipher;
    private final ProviderClient client;
    private final ProviderGuard guard;
    private final ReportOutbox outbox;
    private final MeterRegistry metrics;
    private final ExecutorService executor;
    private final Map<String, ProviderConfiguration> providers;
    private final Duration skew;
    private final Duration refreshMargin;
    private final Duration giveUpAfter;
    private final String publicUrl;
    private final Map<UUID, CompletableFuture<Credential>> inflight = new ConcurrentHashMap<>();
    private final String owner = "refresher-" + UUID.randomUUID();
    private final AtomicLong deferrals = new AtomicLong();

    RefreshService(CredentialRepository credentials, TokenCipher cipher, ProviderClient client, ProviderGuard guard,
                   ReportOutbox outbox, MeterRegistry metrics, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
                   List<ProviderConfiguration> providers,
                   @Value("${linkguard.refresher.skew:60s}") Duration skew,
                   @Value("${linkguard.refresher.refresh-margin:5m}") Duration refreshMargin,
                   @Value("${linkguard.refresher.give-up-after:3d}") Duration giveUpAfter,
                   @Value("${linkguard.public-url}") String publicUrl) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.client = client;
        this.guard = guard;
        this.outbox = outbox;
        this.metrics = metrics;
        this.executor = executor;
        this.providers = providers.stream().collect(Collectors.toMap(ProviderConfiguration::key, Function.identity()));
        this.skew = skew;
        this.refreshMargin = refreshMargin;
        this.giveUpAfter = giveUpAfter;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** A worker's request: a token valid for at least the skew, refreshed first when needed. */
    public FreshToken freshToken(UUID id, UUID callerOrg) {
        Credential c = credentials.find(id);
        if (c == null || !c.orgId().equals(callerOrg)) {
            throw ProblemException.notFound("No such connection.");
        }
        if ("needs_reauth".equals(c.status())) {
            throw needsReauth(c);
        }
        if (fresh(c)) {
            return view(c);
        }
        return view(refreshShared(id, () -> refreshNow(id)));
    }

    /**
     * Background refresh of a due credential: {@code claimed} is the row as the caller's claim read
     * it, and the caller holds its lease as {@code leaseOwner} (a successful save gives it up).
     */
    public void refreshInBackground(Credential claimed, String leaseOwner) {
        UUID id = claimed.authProfileId();
        CompletableFuture<Credential> mine = new CompletableFuture<>();
        if (inflight.putIfAbsent(id, mine) != null) {
            // A worker's call in this process is already on it, waiting for the lease the job holds.
            // Joining it would keep that call waiting for us until its deadline: step aside instead
            // (the job's release hands the lease over) and let it refresh with a fresh read of the row.
            count(claimed.providerKey(), "yielded");
            return;
        }
        try {
            mine.complete(attempt(claimed, leaseOwner));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(id, mine);
        }
    }

    /** Next time a credential should be refreshed: ahead of expiry with jitter, and at least daily. */
    public Instant nextRefreshAt(@Nullable Instant expiresAt) {
        Instant daily = Instant.now().plus(Duration.ofHours(24));
        if (expiresAt == null) {
            return daily;
        }
        long jitterMs = ThreadLocalRandom.current().nextLong(Math.max(1, refreshMargin.toMillis() / 5));
        Instant ahead = expiresAt.minus(refreshMargin).minusMillis(jitterMs);
        return ahead.isBefore(daily) ? ahead : daily;
    }

    private Credential refreshShared(UUID id, Supplier<Credential> refresh) {
        CompletableFuture<Credential> f = inflight.computeIfAbsent(id, k -> CompletableFuture.supplyAsync(refresh, executor));
        f.whenComplete((r, e) -> inflight.remove(id, f));
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * One refresh at a time per credential across all replicas: the on-demand path takes the
     * row's lease (the background job already holds it); whoever does not get it waits for the
     * holder's result instead of sending a second request with the same refresh token.
     */
    private Credential refreshNow(UUID id) {
        Credential c = credentials.find(id);
        if (c == null) {
            throw ProblemException.notFound("No such connection.");
        }
        if ("needs_reauth".equals(c.status())) {
            throw needsReauth(c);
        }
        if (fresh(c)) {
            return c; // refreshed by someone else while we waited
        }
        long deadline = System.nanoTime() + LEASE_WAIT.toNanos();
        while (credentials.acquireLease(id, owner, LEASE_SECONDS) == null) {
            if (System.nanoTime() > deadline) {
                return usableOrUnavailable(c, Duration.ofSeconds(5));
            }
            // Another replica is refreshing this credential right now: wait for its result.
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            Credential latest = credentials.find(id);
            if (latest == null) {
                throw ProblemException.notFound("No such connection.");
            }
            if (latest.version() != c.version()) {
                if ("needs_reauth".equals(latest.status())) {
                    throw needsReauth(latest);
                }
                return latest;
            }
        }
        try {
            Credential locked = credentials.find(id);
            if (locked == null) {
                throw ProblemException.notFound("No such connection.");
            }
            if (locked.version() != c.version()) {
                if ("needs_reauth".equals(locked.status())) {
                    throw needsReauth(locked);
                }
                if (fresh(locked)) {
                    return locked;
                }
            }
            return attempt(locked, owner);
        } finally {
            credentials.release(id, owner, null);
        }
    }

    private Credential attempt(Credential c, String leaseOwner) {
        UUID id = c.authProfileId();
        if ("refresh_uncertain".equals(c.status()) && c.nextAttemptAt() != null && c.nextAttemptAt().isAfter(Instant.now())) {
            return usableOrUnavailable(c, Duration.between(Instant.now(), c.nextAttemptAt()));
        }
        ProviderConfiguration provider = providers.get(c.providerKey());
        if (provider == null) {
            LOG.error("No token endpoint configured for provider '{}' (linkguard.refresher.providers.{}.*)", c.providerKey(), c.providerKey());
            return usableOrUnavailable(c, Duration.ofMinutes(5));
        }
        if (c.refreshTokenCt() == null) {
            return fresh(c) ? c : permanent(c, "no_refresh_token");
        }
        if (!guard.tryAcquire(provider)) {
            // Budget spent or breaker open: not this credential's failure. The row is kept out of the
            // background claims for a few seconds, and the job stops claiming for this cycle, so a
            // provider outage costs a handful of writes, not a claim/release loop over every due row.
            count(provider.key(), "deferred");
            deferrals.incrementAndGet();
            credentials.deferAttempt(id, Instant.now().plusMillis(ThreadLocalRandom.current().nextLong(3_000, 8_000)));
            return usableOrUnavailable(c, Duration.ofSeconds(5));
        }
        RefreshOutcome outcome = client.refresh(provider, cipher.decrypt(id, c.keyId(), c.refreshTokenCt()));
        if (outcome instanceof RefreshOutcome.Refreshed r) {
            guard.success(provider.key());
            return saved(c, r, provider.key(), leaseOwner);
        }
        // Before recording any failure, look again: a replica may have rotated the token meanwhile.
        Credential latest = credentials.find(id);
        if (latest != null && latest.version() != c.version()) {
            count(provider.key(), "superseded");
            return latest;
        }
        if (outcome instanceof RefreshOutcome.Refused refused) {
            // RFC 6749 codes decide first; otherwise 408/409/423/425/429 and 5xx are transient and any other 4xx
            // means this request can never succeed as it is.
            boolean transientStatus = refused.status() >= 500 || TRANSIENT_STATUS.contains(refused.status());
            boolean permanent = (refused.errorCode() != null && PERMANENT.contains(refused.errorCode())) || !transientStatus;
            if (permanent) {
                return permanent(c, refused.errorCode() == null ? "http_" + refused.status() : refused.errorCode());
            }
            guard.transientFailure(provider.key());
            return transientFailure(c, refused.errorCode() == null ? "http_" + refused.status() : refused.errorCode(),
                    refused.retryAfter(), provider.key());
        }
        if (outcome instanceof RefreshOutcome.Uncertain u) {
            guard.transientFailure(provider.key());
            count(provider.key(), "uncertain");
            Long v = credentials.recordFailure(id, c.version(), "refresh_uncertain", "uncertain: " + u.reason(),
                    Instant.now().plus(UNCERTAIN_RETRY));
            if (v == null) {
                return credentials.find(id);
            }
            outbox.transientFailure(c, "network_error");
            return usableOrUnavailable(c, UNCERTAIN_RETRY);
        }
        RefreshOutcome.NotSent notSent = (RefreshOutcome.NotSent) outcome;
        guard.transientFailure(provider.key());
        return transientFailure(c, "network_error: " + notSent.reason(), null, provider.key());
    }

    /** Saves the rotated token first of all; a lost compare-and-swap means another writer won: use theirs. */
    private Credential saved(Credential c, RefreshOutcome.Refreshed r, String provider, String leaseOwner) {
        UUID id = c.authProfileId();
        Credential now = credentials.saveRefreshed(id, c.version(), cipher.activeKeyId(), cipher.encrypt(id, r.accessToken()),
                r.refreshToken() == null ? null : cipher.encrypt(id, r.refreshToken()), r.tokenType(), r.expiresAt(),
                r.scopes() == null ? null : r.scopes().toArray(String[]::new), nextRefreshAt(r.expiresAt()), leaseOwner);
        if (now == null) {
            count(provider, "superseded");
            return credentials.find(id);
        }
        count(provider, "success");
        if (!"active".equals(c.status()) || c.consecutiveFailures() > 0) {
            outbox.connected(now);
        }
        return now;
    }

    private Credential permanent(Credential c, String code) {
        Long v = credentials.recordFailure(c.authProfileId(), c.version(), "needs_reauth", code, null);
        if (v == null) {
            return credentials.find(c.authProfileId());
        }
        count(c.providerKey(), "needs_reauth");
        LOG.info("Credential {} ({}) needs re-auth: {}", c.authProfileId(), c.providerKey(), code);
        outbox.needsReauth(c, code);
        throw needsReauth(c);
    }

    private Credential transientFailure(Credential c, String error, @Nullable Duration retryAfter, String provider) {
        count(provider, "transient");
        int attempt = c.consecutiveFailures() + 1;
        long base = (long) Math.min(Duration.ofHours(1).toMillis(), 1000L * Math.pow(2, Math.min(attempt, 12)));
        Duration backoff = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2)));
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter;
        }
        boolean giveUp = c.firstFailureAt() != null && c.firstFailureAt().isBefore(Instant.now().minus(giveUpAfter));
        Long v = credentials.recordFailure(c.authProfileId(), c.version(), giveUp ? "needs_reauth" : c.status(), error,
                Instant.now().plus(backoff));
        if (v == null) {
            return credentials.find(c.authProfileId());
        }
        if (giveUp) {
            outbox.needsReauth(c, "temporarily_unavailable");
            throw needsReauth(c);
        }
        if (c.consecutiveFailures() == 0) {
            outbox.transientFailure(c, error.startsWith("network_error") ? "network_error" : error);
        }
        return usableOrUnavailable(c, backoff);
    }

    /** A token that has not expired is still useful to a worker, even if refreshing failed. */
    /** @return how many refreshes the provider's budget or breaker has held back so far */
    long deferrals() {
        return deferrals.get();
    }

    private Credential usableOrUnavailable(Credential c, Duration retryAfter) {
        if (c.expiresAt() == null || c.expiresAt().isAfter(Instant.now().plusSeconds(5))) {
            return c;
        }
        throw new ProblemException(Problem.of("provider-unavailable", "Service Unavailable", 503,
                        "The provider cannot refresh this connection right now; try again later.")
                .with("retryAfterSeconds", Math.max(1, retryAfter.toSeconds())));
    }

    private ProblemException needsReauth(Credential c) {
        return new ProblemException(Problem.of("needs-reauth", "Reconnect needed", 409,
                        "The provider no longer accepts this connection; the user must reconnect it.")
                .with("connector", c.connectorKey())
                .with("reconnectUrl", publicUrl + "/reconnect/" + c.connectorKey()));
    }

    private boolean fresh(Credential c) {
        return c.expiresAt() == null || c.expiresAt().isAfter(Instant.now().plus(skew));
    }

    private FreshToken view(Credential c) {
        return new FreshToken(cipher.decrypt(c.authProfileId(), c.keyId(), c.accessTokenCt()), c.tokenType(), c.expiresAt(), c.scopes());
    }

    private void count(String provider, String outcome) {
        metrics.counter("linkguard.refresh", "provider", provider, "outcome", outcome).increment();
    }
}
