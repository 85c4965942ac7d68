package io.linkguard.health.history;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads and prunes {@code connector_health_history}. Rows are written only by
 * {@code HealthRepository}'s report statement; the identity {@code id} grows with every insert,
 * so "newest first" is {@code id DESC} and the last id of a page is the keyset cursor.
 */
@Singleton
@Connectable
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

    private final DataSource dataSource;

    HistoryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param userId    the user
     * @param connector one connector, or null for all
     * @param beforeId  only rows older than this id (the cursor), or null from the newest
     * @param limit     at most this many rows
     * @return newest first
     */
    List<Row> page(UUID userId, @Nullable String connector, @Nullable Long beforeId, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(connector == null ? PAGE : PAGE_OF_CONNECTOR)) {
            int i = 1;
            ps.setObject(i++, userId);
            if (connector != null) {
                ps.setString(i++, connector);
            }
            ps.setLong(i++, beforeId == null ? Long.MAX_VALUE : beforeId);
            ps.setInt(i, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), new HistoryEntry(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant())));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DataAccessException("Reading history failed", e);
        }
    }

    /**
     * Deletes one batch of rows recorded before {@code cutoff}.
     *
     * @return rows deleted (fewer than {@code batch}: nothing older is left unlocked)
     */
    int pruneBatch(Instant cutoff, int batch) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, batch);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("Pruning history failed", e);
        }
    }
}
