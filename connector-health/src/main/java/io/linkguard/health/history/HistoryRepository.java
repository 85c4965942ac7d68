package io.linkguard.health.history;

import io.linkguard.health.status.HealthStatus;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reads and prunes {@code connector_health_history}. Rows are written only by
 * {@code HealthRepository}'s report statement; the identity {@code id} grows with every insert,
 * so "newest first" is {@code id DESC} and the last id of a page is the keyset cursor.
 */
@Singleton
class HistoryRepository {

    /** A row and its id (the cursor). */
    record Row(long id, HistoryEntry entry) {
    }

    // Two shapes instead of "(? IS NULL OR connector = ?)": a generic plan of the latter could not
    // use the (user_id, connector, id) index. Each shape walks one index backwards from the cursor.
    private static final String PAGE = """
            SELECT id, connector, from_status, to_status, error_code, observed_at, recorded_at
              FROM connector_health_history
             WHERE user_id = ? AND id < ?
             ORDER BY id DESC LIMIT ?""";
    private static final String PAGE_OF_CONNECTOR = """
            SELECT id, connector, from_status, to_status, error_code, observed_at, recorded_at
              FROM connector_health_history
             WHERE user_id = ? AND connector = ? AND id < ?
             ORDER BY connector DESC, id DESC LIMIT ?""";

    // Replicas may run this at the same moment: SKIP LOCKED makes them take disjoint batches
    // instead of queueing on each other's row locks. History only grows at its newest end, so the
    // batch comes from the oldest end of the recorded_at index.
    private static final String PRUNE = """
            DELETE FROM connector_health_history WHERE id IN (
              SELECT id FROM connector_health_history WHERE recorded_at < ?
               ORDER BY recorded_at LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private final Sql sql;

    HistoryRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * @param userId    the user
     * @param connector one connector, or null for all
     * @param beforeId  only rows older than this id (the cursor), or null from the newest
     * @param limit     at most this many rows
     * @return newest first
     */
    List<Row> page(UUID userId, @Nullable String connector, @Nullable Long beforeId, int limit) {
        long before = beforeId == null ? Long.MAX_VALUE : beforeId;
        return connector == null
                ? sql.list(PAGE, HistoryRepository::row, userId, before, limit)
                : sql.list(PAGE_OF_CONNECTOR, HistoryRepository::row, userId, connector, before, limit);
    }

    private static Row row(ResultSet rs) throws SQLException {
        String from = rs.getString("from_status");
        return new Row(rs.getLong("id"), new HistoryEntry(rs.getString("connector"),
                from == null ? null : HealthStatus.of(from), HealthStatus.of(rs.getString("to_status")),
                rs.getString("error_code"), Sql.instant(rs, "observed_at"), Sql.instant(rs, "recorded_at")));
    }

    /**
     * Deletes one batch of rows recorded before {@code cutoff}.
     *
     * @return rows deleted (fewer than {@code batch}: nothing older is left unlocked)
     */
    int pruneBatch(Instant cutoff, int batch) {
        return sql.update(PRUNE, cutoff, batch);
    }
}
