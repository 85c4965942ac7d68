package io.linkguard.refresher.refresh;

import io.linkguard.refresher.credential.Credential;
import io.linkguard.refresher.credential.CredentialRepository;
import io.linkguard.refresher.credential.CredentialStatus;
import io.linkguard.refresher.config.RefresherSettings;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.provider.ProviderClient;
import io.linkguard.refresher.provider.ProviderConfiguration;
import io.linkguard.refresher.provider.ProviderDirectory;
import io.linkguard.refresher.provider.ProviderGuard;
import io.linkguard.refresher.provider.RefreshOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

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
 * This class decides; {@link CredentialTransitions} records each state change with its report, and
 * {@link RefreshPolicy} holds the rules (what is permanent, how long to back off).
 */
@Singleton
public class RefreshService {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshService.class);
    static final Duration UNCERTAIN_RETRY = Duration.ofSeconds(30);
    static final Duration LEASE_WAIT = Duration.ofSeconds(25);
    static final int LEASE_SECONDS = 30;
    /** How long a refresh waits for the provider's budget: a worker is waiting on one, the job is not. */
    static final Duration BUDGET_WAIT_ON_DEMAND = Duration.ofSeconds(1);
    static final Duration BUDGET_WAIT_BACKGROUND = Duration.ofSeconds(3);
    /** A token obtained this recently is served, never refreshed again, whatever the skew. */
    static final Duration FRESHNESS_WINDOW = Duration.ofSeconds(10);
    /** How long a credential we cannot refresh for a reason on our side waits before the next try. */
    static final Duration CANNOT_REFRESH_RETRY = Duration.ofMinutes(15);
    /** Error code reported when Linkguard itself cannot refresh (no client for the provider, …). */
    public static final String CANNOT_REFRESH = "linkguard_cannot_refresh";
    /** Error code reported when a stored credential cannot be decrypted (its key is gone). */
    public static final String UNDECRYPTABLE = "linkguard_undecryptable";

    private final CredentialRepository credentials;
    private final TokenCipher cipher;
    private final ProviderClient client;
    private final ProviderGuard guard;
    private final CredentialTransitions transitions;
    private final MeterRegistry metrics;
    private final ExecutorService executor;
    private final ProviderDirectory directory;
    private final Duration skew;
    private final Duration refreshMargin;
    private final Duration giveUpAfter;
    private final Map<UUID, CompletableFuture<Credential>> inflight = new ConcurrentHashMap<>();
    private final String owner = "refresher-" + UUID.randomUUID();
    private final AtomicLong deferrals = new AtomicLong();

    RefreshService(CredentialRepository credentials, TokenCipher cipher, ProviderClient client, ProviderGuard guard,
                   CredentialTransitions transitions, MeterRegistry metrics, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
                   ProviderDirectory directory,
                   RefresherSettings settings) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.client = client;
        this.guard = guard;
        this.transitions = transitions;
        this.metrics = metrics;
        this.executor = executor;
        this.directory = directory;
        this.skew = settings.skew();
        this.refreshMargin = settings.refreshMargin();
        this.giveUpAfter = settings.giveUpAfter();
    }

    /** A worker's request: a token valid for at least the skew, refreshed first when needed. */
    public FreshToken freshToken(UUID id, UUID callerOrg) {
        Credential c = credentials.find(id);
        if (c == null || !c.orgId().equals(callerOrg)) {
            throw TokenRefusal.noSuchConnection();
        }
        if (c.status() == CredentialStatus.NEEDS_REAUTH) {
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

    /**
     * Next time a credential should be refreshed: ahead of expiry with jitter, and at least daily.
     * One without a refresh token cannot be refreshed: a token that never expires (GitHub OAuth
     * apps, Slack, Notion) is never due (null), and one that expires is looked at when it does
     * (then it needs a reconnect).
     */
    @Nullable
    public Instant nextRefreshAt(@Nullable Instant expiresAt, boolean hasRefreshToken) {
        if (!hasRefreshToken) {
            return expiresAt;
        }
        return nextRefreshAt(expiresAt);
    }

    private Instant nextRefreshAt(@Nullable Instant expiresAt) {
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
            throw TokenRefusal.noSuchConnection();
        }
        if (c.status() == CredentialStatus.NEEDS_REAUTH) {
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
                throw TokenRefusal.noSuchConnection();
            }
            if (latest.version() != c.version()) {
                if (latest.status() == CredentialStatus.NEEDS_REAUTH) {
                    throw needsReauth(latest);
                }
                return latest;
            }
        }
        try {
            Credential locked = credentials.find(id);
            if (locked == null) {
                throw TokenRefusal.noSuchConnection();
            }
            if (locked.version() != c.version()) {
                if (locked.status() == CredentialStatus.NEEDS_REAUTH) {
                    throw needsReauth(locked);
                }
                if (fresh(locked)) {
                    return locked;
                }
            }
            return attempt(locked, owner);
        } finally {
            credentials.release(id, owner, null, Duration.ofSeconds(60));
        }
    }

    private Credential attempt(Credential c, String leaseOwner) {
        UUID id = c.authProfileId();
        if (c.status() == CredentialStatus.REFRESH_UNCERTAIN && c.nextAttemptAt() != null && c.nextAttemptAt().isAfter(Instant.now())) {
            return usableOrUnavailable(c, Duration.between(Instant.now(), c.nextAttemptAt()));
        }
        ProviderConfiguration provider;
        try {
            provider = directory.find(c.providerKey(), c.orgId(), c.clientId(), c.authProfileId()).orElse(null);
        } catch (RuntimeException e) {
            // auth-server cannot answer right now: not this credential's failure, try again shortly
            LOG.warn("Provider client for {} unavailable: {}", c.providerKey(), e.toString());
            credentials.deferAttempt(id, Instant.now().plusSeconds(30));
            return usableOrUnavailable(c, Duration.ofSeconds(30));
        }
        if (c.refreshTokenCt() == null) {
            return fresh(c) ? c : permanent(c, "no_refresh_token");
        }
        if (provider == null) {
            LOG.error("Credential {} cannot be refreshed: no client for provider '{}'", id, c.providerKey());
            return cannotRefresh(c, CANNOT_REFRESH);
        }
        String refreshToken;
        try {
            refreshToken = cipher.decrypt(id, c.keyId(), c.refreshTokenCt());
        } catch (IllegalStateException e) {
            // the key it was sealed with is gone or the bytes are damaged: only a reconnect can help
            LOG.error("Credential {} cannot be decrypted: {}", id, e.getMessage());
            return permanent(c, UNDECRYPTABLE);
        }
        if (!guard.acquire(provider, leaseOwner.equals(owner) ? BUDGET_WAIT_ON_DEMAND : BUDGET_WAIT_BACKGROUND)) {
            // Budget spent or breaker open: not this credential's failure. The row is kept out of the
            // background claims for a few seconds, and the job stops claiming for this cycle, so a
            // provider outage costs a handful of writes, not a claim/release loop over every due row.
            count(provider.key(), "deferred");
            deferrals.incrementAndGet();
            credentials.deferAttempt(id, Instant.now().plusMillis(ThreadLocalRandom.current().nextLong(3_000, 8_000)));
            return usableOrUnavailable(c, Duration.ofSeconds(5));
        }
        RefreshOutcome outcome;
        try {
            outcome = client.refresh(provider, refreshToken);
        } finally {
            guard.done(provider.key());
        }
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
            // Only an OAuth error code that means "the grant is gone" is permanent. Anything else — 5xx,
            // 429, a WAF's bare 403, an HTML rate-limit page, an unknown code — is transient: retried with
            // backoff and, if it lasts for days (give-up-after), finally reported as needing a reconnect.
            if (RefreshPolicy.permanent(refused.errorCode())) {
                return permanent(c, refused.errorCode() == null ? "http_" + refused.status() : refused.errorCode());
            }
            guard.transientFailure(provider.key());
            return transientFailure(c, refused.errorCode() == null ? "http_" + refused.status() : refused.errorCode(),
                    refused.retryAfter(), provider.key());
        }
        if (outcome instanceof RefreshOutcome.Uncertain u) {
            guard.transientFailure(provider.key());
            count(provider.key(), "uncertain");
            if (!transitions.uncertain(c, u.reason(), UNCERTAIN_RETRY)) {
                return credentials.find(id);
            }
            return usableOrUnavailable(c, UNCERTAIN_RETRY);
        }
        RefreshOutcome.NotSent notSent = (RefreshOutcome.NotSent) outcome;
        guard.transientFailure(provider.key());
        return transientFailure(c, "network_error: " + notSent.reason(), null, provider.key());
    }

    /** Saves the rotated token first of all; a lost compare-and-swap means another writer won: use theirs. */
    private Credential saved(Credential c, RefreshOutcome.Refreshed r, String provider, String leaseOwner) {
        Credential now = transitions.refreshed(c, r, nextRefreshAt(r.expiresAt(),
                r.refreshToken() != null || c.refreshTokenCt() != null), leaseOwner);
        if (now == null) {
            count(provider, "superseded");
            return credentials.find(c.authProfileId());
        }
        count(provider, "success");
        return now;
    }

    private Credential permanent(Credential c, String code) {
        if (!transitions.needsReauth(c, code)) {
            return credentials.find(c.authProfileId());
        }
        count(c.providerKey(), "needs_reauth");
        LOG.info("Credential {} ({}) needs re-auth: {}", c.authProfileId(), c.providerKey(), code);
        throw needsReauth(c);
    }

    /**
     * Linkguard itself cannot refresh this credential (no client configured for its provider): not
     * the user's fault and not silent. The row keeps its status with a next attempt, and the
     * connector is reported as needing attention with an error code the dashboard explains (on the
     * first such failure); a later successful refresh, once the deployment is fixed, reports it
     * connected again.
     */
    private Credential cannotRefresh(Credential c, String code) {
        if (!transitions.cannotRefresh(c, code, CANNOT_REFRESH_RETRY)) {
            return credentials.find(c.authProfileId());
        }
        count(c.providerKey(), "cannot_refresh");
        return usableOrUnavailable(c, CANNOT_REFRESH_RETRY);
    }

    private Credential transientFailure(Credential c, String error, @Nullable Duration retryAfter, String provider) {
        count(provider, "transient");
        Duration backoff = RefreshPolicy.backoff(c.consecutiveFailures() + 1, retryAfter);
        boolean giveUp = RefreshPolicy.givesUp(c, giveUpAfter);
        if (!transitions.transientFailure(c, error, backoff, giveUp)) {
            return credentials.find(c.authProfileId());
        }
        if (giveUp) {
            throw needsReauth(c);
        }
        return usableOrUnavailable(c, backoff);
    }

    /** @return how many refreshes the provider's budget or breaker has held back so far */
    long deferrals() {
        return deferrals.get();
    }

    /** A token that has not expired is still useful to a worker, even if refreshing failed. */
    private Credential usableOrUnavailable(Credential c, Duration retryAfter) {
        if (c.expiresAt() == null || c.expiresAt().isAfter(Instant.now().plusSeconds(5))) {
            return c;
        }
        throw TokenRefusal.providerUnavailable(retryAfter);
    }

    private static TokenRefusal needsReauth(Credential c) {
        return TokenRefusal.needsReauth(c.connectorKey());
    }

    /**
     * Whether a token is served as it is. Beyond the skew: a token obtained within the freshness
     * window, or with more than half its lifetime left, is never refreshed again — so a provider
     * whose tokens live less than the skew still sees one refresh per need, not one per caller.
     */
    private boolean fresh(Credential c) {
        Instant now = Instant.now();
        if (c.expiresAt() == null || c.expiresAt().isAfter(now.plus(skew))) {
            return true;
        }
        if (!c.expiresAt().isAfter(now.plusSeconds(1))) {
            return false;
        }
        Instant obtained = c.lastRefreshedAt();
        if (obtained == null) {
            return false;
        }
        Duration lifetime = Duration.between(obtained, c.expiresAt());
        return obtained.isAfter(now.minus(FRESHNESS_WINDOW))
                || Duration.between(now, c.expiresAt()).compareTo(lifetime.dividedBy(2)) > 0;
    }

    private FreshToken view(Credential c) {
        return new FreshToken(cipher.decrypt(c.authProfileId(), c.keyId(), c.accessTokenCt()), c.tokenType(), c.expiresAt(), c.scopes());
    }

    private void count(String provider, String outcome) {
        metrics.counter("linkguard.refresh", "provider", provider, "outcome", outcome).increment();
    }
}
