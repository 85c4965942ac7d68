package io.linkguard.health.report;

import io.linkguard.health.webhook.WebhookOutbox;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.connection.annotation.Connectable;
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
 * The health rows. Concurrency contract: any number of reports for one (user, connector) may
 * arrive at once, in any order; each is applied by ONE statement that locks the row, applies
 * the report only if it was observed no earlier than the state it overwrites, and writes the
 * history entry for a status change in the same statement, so row and history never disagree.
 */
@Singleton
@Connectable
public class HealthRepository {

    /** How a report changes the row. */
    public enum Change { SUCCESS, PERMANENT_FAILURE, REVOKED, TRANSIENT_FAILURE, DISABLED }

    // previous_status is set from the row version the upsert locked, so the history entry names
    // the real transition even when reports race. A report observed earlier than the applied
    // state matches no row in the DO UPDATE's WHERE and returns nothing: "ignored".
    private static final String APPLY = """
            WITH applied AS (
              INSERT INTO connector_health AS h
                     (user_id, connector, org_id, status, previous_status, error_code,
                      last_success_at, last_failure_at, observed_at, auth_profile_id, updated_at)
              SELECT ?, ?, ?, ?, NULL, ?,
                     CASE WHEN ? THEN r.at END, CASE WHEN ? THEN r.at END, r.at, ?, clock_timestamp()
                FROM (SELECT COALESCE(CAST(? AS timestamptz), clock_timestamp()) AS at) r
              ON CONFLICT (user_id, connector) DO UPDATE SET
                previous_status = h.status,
                status          = CASE WHEN ? THEN h.status ELSE EXCLUDED.status END,
                error_code      = CASE WHEN ? THEN h.error_code ELSE EXCLUDED.error_code END,
                last_success_at = COALESCE(EXCLUDED.last_success_at, h.last_success_at),
                last_failure_at = COALESCE(EXCLUDED.last_failure_at, h.last_failure_at),
                observed_at     = EXCLUDED.observed_at,
                auth_profile_id = COALESCE(EXCLUDED.auth_profile_id, h.auth_profile_id),
                updated_at      = clock_timestamp()
              WHERE h.observed_at <= EXCLUDED.observed_at AND h.org_id = EXCLUDED.org_id
              RETURNING h.user_id, h.connector, h.org_id, h.status, h.previous_status, h.error_code, h.observed_at
            ), history AS (
              INSERT INTO connector_health_history (user_id, connector, org_id, from_status, to_status, error_code, observed_at)
              SELECT user_id, connector, org_id, previous_status, status, error_code, observed_at
                FROM applied WHERE previous_status IS DISTINCT FROM status
            ), events AS (
              SELECT a.org_id, a.user_id,
                     CASE WHEN a.previous_status IS DISTINCT FROM a.status AND a.status = 'needs_reauth'
                            THEN 'connection.needs_reauth'
                          WHEN a.previous_status IS DISTINCT FROM a.status AND a.status = 'revoked'
                            THEN 'connection.revoked'
                          WHEN a.previous_status IN ('needs_reauth', 'revoked', 'disabled') AND a.status = 'connected'
                            THEN 'connection.recovered'
                          WHEN CAST(? AS boolean) AND a.status = 'connected'
                            THEN 'connection.refresh_failed'
                     END AS event,
                     json_build_object('orgId', a.org_id, 'userId', a.user_id, 'connector', a.connector,
                                       'status', a.status, 'previousStatus', a.previous_status, 'errorCode', a.error_code,
                                       'observedAt', a.observed_at,
                                       'reconnectUrl', CASE WHEN a.status IN ('needs_reauth', 'revoked')
                                                            THEN CAST(? AS text) || '/reconnect/' || a.connector END) AS data
                FROM applied a
            ), hooks AS (
            """ + WebhookOutbox.queueFrom("events") + """
            )
            SELECT status, error_code FROM applied""";

    private final DataSource dataSource;

    private final String publicUrl;

    HealthRepository(DataSource dataSource, @Value("${linkguard.public-url}") String publicUrl) {
        this.dataSource = dataSource;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /**
     * Applies one report.
     *
     * @return the row's status and error code after the report, or null when the report was ignored
     */
    @Nullable
    public String[] apply(UUID userId, String connector, UUID orgId, Change change, @Nullable String errorCode,
                          @Nullable Instant observedAt, @Nullable UUID authProfileId, boolean announceRefreshFailure) {
        String newStatus = switch (change) {
            case SUCCESS, TRANSIENT_FAILURE -> "connected";
            case PERMANENT_FAILURE -> "needs_reauth";
            case REVOKED -> "revoked";
            case DISABLED -> "disabled";
        };
        boolean transientFailure = change == Change.TRANSIENT_FAILURE;
        Timestamp at = observedAt == null ? null : Timestamp.from(observedAt);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(APPLY)) {
            int i = 1;
            ps.setObject(i++, userId);
            ps.setString(i++, connector);
            ps.setObject(i++, orgId);
            ps.setString(i++, newStatus);
            ps.setString(i++, change == Change.PERMANENT_FAILURE || change == Change.REVOKED ? errorCode : null);
            // which timestamp this report sets; the other one is kept (a flap never erases the last success)
            ps.setBoolean(i++, change == Change.SUCCESS);
            ps.setBoolean(i++, change == Change.PERMANENT_FAILURE || change == Change.REVOKED || transientFailure);
            ps.setObject(i++, authProfileId);
            ps.setTimestamp(i++, at);
            ps.setBoolean(i++, transientFailure);
            ps.setBoolean(i++, transientFailure);
            // webhooks: a refresh failure is announced only when token-refresher reports it (once per run)
            ps.setBoolean(i++, announceRefreshFailure && transientFailure);
            ps.setString(i, publicUrl);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        } catch (SQLException e) {
            throw new DataAccessException("Applying a health report failed", e);
        }
    }

    /**
     * A connection was deleted: its connector's row goes (the banner with it), unless the row now
     * belongs to another connection of the same connector (reconnected meanwhile).
     *
     * @return whether a row was removed
     */
    public boolean remove(UUID userId, String connector, UUID orgId, UUID authProfileId) {
        String sql = """
                DELETE FROM connector_health WHERE user_id = ? AND connector = ? AND org_id = ?
                   AND (auth_profile_id IS NULL OR auth_profile_id = ?)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, userId);
            ps.setString(2, connector);
            ps.setObject(3, orgId);
            ps.setObject(4, authProfileId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new DataAccessException("Removing a connector's health row failed", e);
        }
    }

    /** One connector's state, for the status endpoint. */
    public record Row(String connector, String status, @Nullable String errorCode, @Nullable Instant lastSuccessAt,
                      @Nullable Instant lastFailureAt) {
    }

    /**
     * @param userId a user
     * @return the user's connectors, ordered by key
     */
    public List<Row> findByUser(UUID userId) {
        String sql = """
                SELECT connector, status, error_code, last_success_at, last_failure_at
                  FROM connector_health WHERE user_id = ? ORDER BY connector""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, userId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DataAccessException("Reading health failed", e);
        }
    }

    /**
     * Removes every row of a user in this schema (history and pause included).
     *
     * @param userId the user
     * @return rows deleted
     */
    public int deleteUser(UUID userId) {
        String sql = """
                WITH a AS (DELETE FROM connector_health WHERE user_id = ? RETURNING 1),
                     b AS (DELETE FROM connector_health_history WHERE user_id = ? RETURNING 1),
                     c AS (DELETE FROM automation_pause WHERE user_id = ? RETURNING 1),
                     d AS (DELETE FROM webhook_deliveries WHERE user_id = ? RETURNING 1)
                SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c)
                     + (SELECT count(*) FROM d)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, userId);
            ps.setObject(2, userId);
            ps.setObject(3, userId);
            ps.setObject(4, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new DataAccessException("Deleting a user's health data failed", e);
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
