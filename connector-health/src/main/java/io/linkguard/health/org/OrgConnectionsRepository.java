package io.linkguard.health.org;

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

/** An org's health rows, for its admins: keyset pages and counts. */
@Singleton
@Connectable
public class OrgConnectionsRepository {

    /** One count of the summary. */
    record Count(String connector, String status, long rows) {
    }

    private final DataSource dataSource;

    OrgConnectionsRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The page query for the filters present. Only present filters appear, instead of
     * {@code (? IS NULL OR status = ?)}: a cached generic plan of the latter cannot pick the
     * status index. With a status it walks {@code connector_health_org_status_idx}, without one
     * {@code connector_health_org_user_idx}; both are in page order, so no sort and the scan stops
     * at the limit. The row comparison {@code (user_id, connector) > (?, ?)} is an index bound.
     * Public for the plan test and the benchmark.
     *
     * @param status    whether a status filter is present
     * @param connector whether a connector filter is present
     * @param cursor    whether the page starts after a cursor
     * @return SQL taking, in order: org, [status], [connector], [cursor user, cursor connector], limit
     */
    public static String pageSql(boolean status, boolean connector, boolean cursor) {
        return """
                SELECT user_id, connector, status, error_code, last_success_at, last_failure_at, updated_at, auth_profile_id
                  FROM connector_health
                 WHERE org_id = ?"""
                + (status ? " AND status = ?" : "")
                + (connector ? " AND connector = ?" : "")
                + (cursor ? " AND (user_id, connector) > (?, ?)" : "")
                + "\n ORDER BY " + (status ? "status, " : "") + "user_id, connector LIMIT ?";
    }

    /**
     * @param orgId     the org
     * @param status    only this status, or null
     * @param connector only this connector, or null
     * @param after     start after this (user id, connector), or null from the start
     * @param limit     at most this many rows
     * @return rows ordered by user id, then connector
     */
    List<OrgConnection> page(UUID orgId, @Nullable String status, @Nullable String connector,
                             @Nullable Key after, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(pageSql(status != null, connector != null, after != null))) {
            int i = 1;
            ps.setObject(i++, orgId);
            if (status != null) {
                ps.setString(i++, status);
            }
            if (connector != null) {
                ps.setString(i++, connector);
            }
            if (after != null) {
                ps.setObject(i++, after.userId());
                ps.setString(i++, after.connector());
            }
            ps.setInt(i, limit);
            List<OrgConnection> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OrgConnection(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getObject(8, UUID.class)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DataAccessException("Reading the org's connections failed", e);
        }
    }

    /** The sort key of a row: where the next page starts. */
    record Key(UUID userId, String connector) {
    }

    /**
     * @param orgId the org
     * @return rows per (connector, status); an index-only scan of the status index
     */
    List<Count> counts(UUID orgId) {
        String sql = "SELECT connector, status, count(*) FROM connector_health WHERE org_id = ? GROUP BY connector, status";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, orgId);
            List<Count> counts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new Count(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new DataAccessException("Counting the org's connections failed", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
