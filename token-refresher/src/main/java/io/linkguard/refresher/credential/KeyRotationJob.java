package io.linkguard.refresher.credential;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.List;

/**
 * Moves credentials to the active token-encryption key in small batches, so an old key can be
 * removed from {@code LINKGUARD_TOKEN_KEYS} once the {@code linkguard.credentials.by.key} gauge
 * shows no row under it. Replica-safe: each batch locks its rows with {@code FOR UPDATE SKIP
 * LOCKED} in one transaction, and each row is rewritten with a compare-and-swap on its version, so
 * a refresh saving the same row at the same moment wins and the row is simply taken next time.
 */
@Singleton
@Requires(property = "linkguard.refresher.reencrypt.enabled", notEquals = "false")
class KeyRotationJob {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationJob.class);
    static final int BATCH = 100;

    private final CredentialRepository credentials;
    private final TokenCipher cipher;
    private final TransactionOperations<Connection> tx;
    private final MultiGauge byKey;

    KeyRotationJob(CredentialRepository credentials, TokenCipher cipher, TransactionOperations<Connection> tx,
                   MeterRegistry metrics) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.tx = tx;
        this.byKey = MultiGauge.builder("linkguard.credentials.by.key")
                .description("Stored credentials per token-encryption key id").register(metrics);
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.reencrypt.interval:60s}", initialDelay = "${linkguard.refresher.reencrypt.initial-delay:20s}")
    void run() {
        int moved;
        do {
            moved = tx.executeWrite(status -> reencryptBatch());
        } while (moved == BATCH);
        byKey.register(credentials.countByKey().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("key_id", e.getKey()), e.getValue())).toList(), true);
    }

    /** @return rows moved to the active key in this batch */
    int reencryptBatch() {
        String active = cipher.activeKeyId();
        List<Credential> batch = credentials.lockNotUnderKey(active, cipher.keyIds(), BATCH);
        int moved = 0;
        for (Credential c : batch) {
            try {
                byte[] access = cipher.encrypt(c.authProfileId(), cipher.decrypt(c.authProfileId(), c.keyId(), c.accessTokenCt()));
                byte[] refresh = c.refreshTokenCt() == null ? null
                        : cipher.encrypt(c.authProfileId(), cipher.decrypt(c.authProfileId(), c.keyId(), c.refreshTokenCt()));
                if (credentials.reencrypt(c.authProfileId(), c.version(), active, access, refresh)) {
                    moved++;
                }
            } catch (IllegalStateException e) {
                // its key is gone: the refresh path marks such a row needs_reauth; nothing to move
                LOG.warn("Credential {} cannot be re-encrypted: {}", c.authProfileId(), e.getMessage());
            }
        }
        if (moved > 0) {
            LOG.info("Re-encrypted {} credentials under key {}", moved, active);
        }
        return moved;
    }
}
