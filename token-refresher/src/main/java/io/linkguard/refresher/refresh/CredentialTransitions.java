package io.linkguard.refresher.refresh;

import io.linkguard.refresher.credential.Credential;
import io.linkguard.refresher.credential.CredentialRepository;
import io.linkguard.refresher.credential.CredentialStatus;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.provider.RefreshOutcome;
import io.linkguard.refresher.report.ReportOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Every change of a credential's state after a refresh attempt, each with its report to
 * connector-health in the same transaction (a crash cannot keep one without the other), each a
 * compare-and-swap on the version the attempt read: {@code false} / {@code null} means another
 * writer changed the row first, and the caller uses theirs.
 */
@Singleton
class CredentialTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialTransitions.class);
    /** How long a failed save of a rotated token is retried from memory: well inside any lease. */
    static final Duration SAVE_RETRY_FOR = Duration.ofSeconds(20);

    private final CredentialRepository credentials;
    private final TokenCipher cipher;
    private final ReportOutbox outbox;
    private final MeterRegistry metrics;
    private final TransactionOperations<Connection> tx;

    CredentialTransitions(CredentialRepository credentials, TokenCipher cipher, ReportOutbox outbox, MeterRegistry metrics,
                          TransactionOperations<Connection> tx) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.outbox = outbox;
        this.metrics = metrics;
        this.tx = tx;
    }

    /**
     * The provider's new tokens, saved before anything else is done with them; a recovering
     * credential is reported connected in the same transaction. The common case, an active
     * credential refreshed again, is a single statement with nothing to report.
     *
     * @return the saved row, or null when another writer changed it first
     */
    @Nullable
    Credential refreshed(Credential c, RefreshOutcome.Refreshed r, @Nullable Instant nextRefreshAt, String leaseOwner) {
        UUID id = c.authProfileId();
        // Every ciphertext of a row is under the key its key_id names: when the provider keeps the
        // refresh token (Google, Notion), the old one is re-sealed under the active key with the new
        // access token, never left under a key that rotation may remove.
        byte[] refreshCt = r.refreshToken() != null ? cipher.encrypt(id, r.refreshToken())
                : c.refreshTokenCt() != null && !cipher.activeKeyId().equals(c.keyId())
                ? cipher.encrypt(id, cipher.decrypt(id, c.keyId(), c.refreshTokenCt())) : null;
        boolean recovered = c.status() != CredentialStatus.ACTIVE || c.consecutiveFailures() > 0;
        byte[] accessCt = cipher.encrypt(id, r.accessToken());
        Supplier<Credential> save = () -> credentials.saveRefreshed(id, c.version(), cipher.activeKeyId(), accessCt,
                refreshCt, r.tokenType(), r.expiresAt(), r.scopes() == null ? null : r.scopes().toArray(String[]::new),
                nextRefreshAt, leaseOwner);
        return retryingSave(id, !recovered ? save : () -> tx.executeWrite(status -> {
            Credential saved = save.get();
            if (saved != null) {
                outbox.connected(saved);
            }
            return saved;
        }));
    }

    /** The grant is gone: needs_reauth, reported. @return whether it was recorded */
    boolean needsReauth(Credential c, String code) {
        return recorded(c, CredentialStatus.NEEDS_REAUTH, code, null, () -> outbox.needsReauth(c, code));
    }

    /**
     * Linkguard itself cannot refresh the credential: its status stays, with a next attempt, and the
     * first such failure is reported. @return whether it was recorded
     */
    boolean cannotRefresh(Credential c, String code, Duration retry) {
        return recorded(c, c.status(), code, Instant.now().plus(retry),
                c.consecutiveFailures() == 0 ? () -> outbox.cannotRefresh(c, code) : null);
    }

    /**
     * A transient failure retried after {@code wait}; the first of a run is reported, and one that has
     * lasted past the give-up time becomes needs_reauth. @return whether it was recorded
     */
    boolean transientFailure(Credential c, String error, Duration wait, boolean giveUp) {
        Runnable report = giveUp ? () -> outbox.needsReauth(c, "temporarily_unavailable")
                : c.consecutiveFailures() == 0
                ? () -> outbox.transientFailure(c, error.startsWith("network_error") ? "network_error" : error) : null;
        return recorded(c, giveUp ? CredentialStatus.NEEDS_REAUTH : c.status(), error, Instant.now().plus(wait), report);
    }

    /**
     * The request may have reached the provider (timeout, dropped connection): never replayed at once,
     * retried once, carefully, after {@code retry}. @return whether it was recorded
     */
    boolean uncertain(Credential c, String reason, Duration retry) {
        return recorded(c, CredentialStatus.REFRESH_UNCERTAIN, "uncertain: " + reason, Instant.now().plus(retry),
                () -> outbox.transientFailure(c, "network_error"));
    }

    private boolean recorded(Credential c, CredentialStatus status, String error, @Nullable Instant nextAttempt, @Nullable Runnable report) {
        return tx.executeWrite(s -> {
            Long version = credentials.recordFailure(c.authProfileId(), c.version(), status, error, nextAttempt);
            if (version != null && report != null) {
                report.run();
            }
            return version != null;
        });
    }

    /**
     * A rotated token exists only in memory until it is saved: the provider has already invalidated
     * the old one. So a save that fails (the database restarting, a connection dropped) is retried
     * from memory, with backoff, for a bound shorter than any lease on the row, before this thread
     * does anything else; only then is the failure given up and logged as a lost rotation.
     */
    private Credential retryingSave(UUID id, Supplier<Credential> save) {
        long deadline = System.nanoTime() + SAVE_RETRY_FOR.toNanos();
        long pauseMs = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                Credential saved = save.get();
                if (attempt > 1) {
                    LOG.info("Credential {}: rotated token saved on attempt {}", id, attempt);
                }
                return saved;
            } catch (RuntimeException e) {
                if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    LOG.error("Credential {}: a rotated token could not be saved after {} attempts; the connection "
                            + "will need a reconnect if the provider rotated it: {}", id, attempt, e.toString());
                    throw e;
                }
                LOG.warn("Credential {}: saving the rotated token failed (attempt {}), retrying: {}", id, attempt, e.toString());
                metrics.counter("linkguard.refresh.save.retries").increment();
                LockSupport.parkNanos(pauseMs * 1_000_000);
                pauseMs = Math.min(2_000, pauseMs * 2);
            }
        }
    }
}
