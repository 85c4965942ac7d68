package io.linkguard.auth.cleanup;

import io.linkguard.sql.Sql;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Deletes what can never be used again, in small batches so no statement holds locks for long;
 * rows are picked with {@code FOR UPDATE SKIP LOCKED}, so replicas running the job at the same
 * time split the work instead of waiting on each other. A row is deleted only when it is
 * expired (or its family is revoked or expired): nothing live is ever touched.
 */
@Singleton
public class CleanupJob {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupJob.class);
    static final int BATCH = 500;

    /** Each statement deletes at most one batch of one kind of row. */
    static final List<String> STATEMENTS = List.of(
            // consent tickets
            """
            DELETE FROM authorization_requests WHERE ticket_hash IN (
              SELECT ticket_hash FROM authorization_requests WHERE expires_at < now() LIMIT %d FOR UPDATE SKIP LOCKED)""",
            // codes: kept a day after expiry so a late replay is still recognised and revokes its tokens
            """
            DELETE FROM authorization_codes WHERE code_hash IN (
              SELECT code_hash FROM authorization_codes WHERE expires_at < now() - interval '1 day' LIMIT %d FOR UPDATE SKIP LOCKED)""",
            // refresh tokens past their own expiry
            """
            DELETE FROM refresh_tokens WHERE token_hash IN (
              SELECT token_hash FROM refresh_tokens WHERE expires_at < now() LIMIT %d FOR UPDATE SKIP LOCKED)""",
            // families past their absolute lifetime, or revoked a day ago (their access tokens are
            // refused through the revocation list, which keeps its own entries as long as needed)
            """
            DELETE FROM token_families WHERE id IN (
              SELECT f.id FROM token_families f
               WHERE f.expires_at < now() OR f.revoked_at < now() - interval '1 day'
               LIMIT %d FOR UPDATE SKIP LOCKED)""",
            // revocation list entries once no token they could match is alive
            """
            DELETE FROM revocations WHERE id IN (
              SELECT id FROM revocations WHERE expires_at < now() LIMIT %d FOR UPDATE SKIP LOCKED)""",
            """
            DELETE FROM login_throttle WHERE key IN (
              SELECT key FROM login_throttle WHERE updated_at < now() - interval '1 day'
                 AND (locked_until IS NULL OR locked_until < now()) LIMIT %d FOR UPDATE SKIP LOCKED)""",
            """
            DELETE FROM known_devices WHERE (device_hash, user_id) IN (
              SELECT device_hash, user_id FROM known_devices WHERE expires_at < now() LIMIT %d FOR UPDATE SKIP LOCKED)""",
            """
            DELETE FROM user_deletion_outbox WHERE id IN (
              SELECT id FROM user_deletion_outbox WHERE delivered_at < now() - interval '7 days' LIMIT %d FOR UPDATE SKIP LOCKED)""");

    private final Sql sql;

    CleanupJob(Sql sql) {
        this.sql = sql;
    }

    /** @return rows deleted */
    @Scheduled(fixedDelay = "${linkguard.auth.cleanup-interval:5m}", 
            initialDelay = "${linkguard.auth.cleanup-initial-delay:1m}")
    public int run() {
        int total = 0;
        for (String statement : STATEMENTS) {
            String batch = statement.formatted(BATCH);
            int n;
            do {
                n = sql.update(batch);
                total += n;
            } while (n == BATCH);
        }
        if (total > 0) {
            LOG.info("Cleanup deleted {} expired rows", total);
        }
        return total;
    }
}
