package io.linkguard.refresher.credential;

import io.linkguard.sql.Sql;
import io.linkguard.refresher.provider.ProviderClient;
import io.linkguard.refresher.provider.ProviderConfiguration;
import io.linkguard.refresher.provider.ProviderDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Revokes the grants of deleted connections at their provider (RFC 7009), best effort and
 * recorded: each queued row is tried a few times with backoff, then kept with its outcome
 * ({@code revoked}, {@code refused}, {@code failed}, {@code unsupported} when the catalog has no
 * revocation endpoint, {@code undecryptable}) for a week, and counted by
 * {@code linkguard.provider.revocations}. The token ciphertext is cleared as soon as a row is done.
 * Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a one-minute lease, so replicas share
 * the work and never send one twice at once.
 */
@Singleton
class ProviderRevocationJob {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRevocationJob.class);
    static final int MAX_ATTEMPTS = 5;

    private final Sql sql;
    private final TokenCipher cipher;
    private final ProviderDirectory directory;
    private final ProviderClient client;
    private final MeterRegistry metrics;

    ProviderRevocationJob(Sql sql, TokenCipher cipher, ProviderDirectory directory, ProviderClient client,
                          MeterRegistry metrics) {
        this.sql = sql;
        this.cipher = cipher;
        this.directory = directory;
        this.client = client;
        this.metrics = metrics;
    }

    private record Queued(long id, UUID authProfileId, UUID orgId, String providerKey, @Nullable String clientId,
                          String keyId, byte[] tokenCt, String hint, int attempts) {
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.revocation-interval:5s}", initialDelay = "3s")
    void run() {
        List<Queued> due;
        do {
            due = sql.list("""
                    UPDATE provider_revocations SET next_attempt = now() + interval '60 seconds'
                     WHERE id IN (SELECT id FROM provider_revocations WHERE done_at IS NULL AND next_attempt <= now()
                                   ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)
                    RETURNING id, auth_profile_id, org_id, provider_key, client_id, key_id, token_ct, token_type_hint, attempts""",
                    rs -> new Queued(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getBytes(7), rs.getString(8), rs.getInt(9)));
            due.forEach(this::attempt);
        } while (due.size() == 20);
        sql.update("DELETE FROM provider_revocations WHERE done_at < now() - interval '7 days'");
    }

    private void attempt(Queued q) {
        Optional<ProviderConfiguration> provider;
        try {
            provider = directory.find(q.providerKey(), q.orgId(), q.clientId(), q.authProfileId());
        } catch (RuntimeException e) {
            retryOrGiveUp(q, "auth-server unavailable: " + e.getClass().getSimpleName());
            return;
        }
        if (provider.isEmpty() || provider.get().revokeUrl() == null) {
            done(q, "unsupported");
            return;
        }
        String token;
        try {
            token = cipher.decrypt(q.authProfileId(), q.keyId(), q.tokenCt());
        } catch (IllegalStateException e) {
            done(q, "undecryptable");
            return;
        }
        switch (client.revoke(provider.get(), token, q.hint())) {
            case REVOKED -> done(q, "revoked");
            case REFUSED -> done(q, "refused");
            case FAILED -> retryOrGiveUp(q, "provider unavailable");
        }
    }

    private void retryOrGiveUp(Queued q, String why) {
        if (q.attempts() + 1 >= MAX_ATTEMPTS) {
            LOG.warn("Revoking the grant of deleted connection {} at {} failed {} times ({}); giving up",
                    q.authProfileId(), q.providerKey(), MAX_ATTEMPTS, why);
            done(q, "failed");
            return;
        }
        long delay = (long) Math.pow(4, q.attempts() + 1) * 15;   // 1 min, 4 min, 16 min, 64 min
        sql.updateOne("reschedule provider revocation", """
                UPDATE provider_revocations SET attempts = attempts + 1, next_attempt = now() + make_interval(secs => ?)
                 WHERE id = ?""", (double) delay, q.id());
    }

    private void done(Queued q, String outcome) {
        sql.updateOne("record provider revocation", """
                UPDATE provider_revocations SET attempts = attempts + 1, outcome = ?, done_at = now(), token_ct = NULL
                 WHERE id = ?""", outcome, q.id());
        metrics.counter("linkguard.provider.revocations", "provider", q.providerKey(), "outcome", outcome).increment();
        LOG.info("Grant of deleted connection {} at {}: {}", q.authProfileId(), q.providerKey(), outcome);
    }
}
