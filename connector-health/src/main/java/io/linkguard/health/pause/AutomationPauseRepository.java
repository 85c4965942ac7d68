package io.linkguard.health.pause;

import io.linkguard.health.webhook.WebhookOutbox;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Per-user pause rows. */
@Singleton
class AutomationPauseRepository {

    record Row(boolean paused, @Nullable Instant pausedAt, @Nullable String reason) {
    }

    // pausedAt/pausedReason change only when the switch flips: repeating "pause" keeps the original time.
    // A flip queues the automation.paused/resumed webhooks in the same statement: updated_at moves
    // only on a flip (or the first insert; xmax = 0 marks an insert), so the row itself says whether
    // this statement flipped it, whatever runs concurrently.
    private static final String UPSERT = """
            WITH up AS (
            INSERT INTO automation_pause AS p (user_id, org_id, paused, paused_at, paused_reason, updated_at)
            VALUES (?, ?, ?, CASE WHEN ? THEN clock_timestamp() END, CASE WHEN ? THEN ? END, clock_timestamp())
            ON CONFLICT (user_id) DO UPDATE SET
              paused        = EXCLUDED.paused,
              paused_at     = CASE WHEN p.paused = EXCLUDED.paused THEN p.paused_at ELSE EXCLUDED.paused_at END,
              paused_reason = CASE WHEN p.paused = EXCLUDED.paused THEN p.paused_reason ELSE EXCLUDED.paused_reason END,
              updated_at    = CASE WHEN p.paused = EXCLUDED.paused THEN p.updated_at ELSE clock_timestamp() END
            RETURNING user_id, org_id, paused, paused_at, paused_reason, updated_at, (xmax = 0) AS inserted
            ), events AS (
              SELECT up.org_id, up.user_id,
                     CASE WHEN up.updated_at >= statement_timestamp() AND (up.paused OR NOT up.inserted)
                          THEN CASE WHEN up.paused THEN 'automation.paused' ELSE 'automation.resumed' END
                     END AS event,
                     json_build_object('orgId', up.org_id, 'userId', up.user_id, 'paused', up.paused,
                                       'pausedAt', up.paused_at, 'reason', up.paused_reason) AS data
                FROM up
            ), hooks AS (
            """ + WebhookOutbox.queueFrom("events") + """
            )
            SELECT paused, paused_at, paused_reason FROM up""";

    private final Sql sql;

    AutomationPauseRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Sets the user's switch. Contract: one upsert, so concurrent flips of one user are serialised
     * by the row lock and each sees the state the previous one left; the row always comes back.
     */
    Row set(UUID userId, UUID orgId, boolean paused, @Nullable String reason) {
        Row row = sql.one(UPSERT, AutomationPauseRepository::row, userId, orgId, paused, paused, paused, reason);
        if (row == null) {
            // an upsert always returns its row; nothing back means the write did not happen
            throw new DataAccessException("Saving the automation pause changed no row");
        }
        return row;
    }

    @Nullable
    Row find(UUID userId) {
        return sql.one("SELECT paused, paused_at, paused_reason FROM automation_pause WHERE user_id = ?",
                AutomationPauseRepository::row, userId);
    }

    /** @return those of {@code userIds} whose own switch is on (one statement for the whole batch) */
    List<UUID> pausedAmong(List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return sql.list("SELECT user_id FROM automation_pause WHERE paused AND user_id = ANY (?)",
                rs -> Sql.uuid(rs, "user_id"), (Object) userIds.toArray(UUID[]::new));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getBoolean("paused"), Sql.instant(rs, "paused_at"), rs.getString("paused_reason"));
    }
}
