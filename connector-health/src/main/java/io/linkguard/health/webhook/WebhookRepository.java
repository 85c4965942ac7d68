package io.linkguard.health.webhook;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Webhook endpoints and their deliveries (the outbox rows the transitions write). */
@Singleton
@Connectable
class WebhookRepository {

    private final DataSource dataSource;

    WebhookRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An endpoint as stored (the secret stays in this package). */
    record Endpoint(UUID id, UUID orgId, String url, List<String> events, @Nullable String description, String secret,
                    Instant createdAt) {
    }

    /** A delivery as the admin sees it. */
    record Delivery(UUID id, String event, String status, int attempts, @Nullable Integer lastStatus,
                    @Nullable String lastError, @Nullable Instant lastAttemptAt, @Nullable Instant deliveredAt,
                    Instant createdAt) {
    }

    /** A claimed delivery, ready to send. */
    record Due(UUID id, UUID endpointId, String url, String secret, String payload, int attempts, Instant createdAt) {
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new DataAccessException("A webhook statement failed", e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("A webhook statement failed", e);
        }
    }

    private static final String ENDPOINT_COLUMNS = "id, org_id, url, events, description, secret, created_at";

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getString(5), rs.getString(6), instant(rs, 7));
    }

    /** @return the new endpoint, or null when the org already has {@code max} endpoints */
    @Nullable
    Endpoint create(UUID orgId, String url, List<String> events, @Nullable String description, String secret, int max) {
        // the count and the insert are one statement; the org's advisory lock orders concurrent creations
        List<Endpoint> made = query("""
                WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended(CAST(? AS text), 7)))
                INSERT INTO webhook_endpoints (id, org_id, url, events, description, secret)
                SELECT ?, ?, ?, ?, ?, ? FROM lock
                 WHERE (SELECT count(*) FROM webhook_endpoints WHERE org_id = ?) < ?
                RETURNING\s""" + ENDPOINT_COLUMNS, ps -> {
            ps.setString(1, orgId.toString());
            ps.setObject(2, UUID.randomUUID());
            ps.setObject(3, orgId);
            ps.setString(4, url);
            ps.setArray(5, ps.getConnection().createArrayOf("text", events.toArray()));
            ps.setString(6, description);
            ps.setString(7, secret);
            ps.setObject(8, orgId);
            ps.setInt(9, max);
        }, WebhookRepository::endpoint);
        return made.isEmpty() ? null : made.get(0);
    }

    List<Endpoint> list(UUID orgId) {
        return query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE org_id = ? ORDER BY created_at, id",
                ps -> ps.setObject(1, orgId), WebhookRepository::endpoint);
    }

    @Nullable
    Endpoint find(UUID orgId, UUID id) {
        List<Endpoint> e = query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE org_id = ? AND id = ?",
                ps -> {
                    ps.setObject(1, orgId);
                    ps.setObject(2, id);
                }, WebhookRepository::endpoint);
        return e.isEmpty() ? null : e.get(0);
    }

    boolean delete(UUID orgId, UUID id) {
        return update("DELETE FROM webhook_endpoints WHERE org_id = ? AND id = ?", ps -> {
            ps.setObject(1, orgId);
            ps.setObject(2, id);
        }) == 1;
    }

    private static final String DELIVERY_COLUMNS = """
            id, event, CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN failed_at IS NOT NULL THEN 'failed'
                            ELSE 'pending' END, attempts, last_status, last_error, last_attempt_at, delivered_at, created_at""";

    private static Delivery delivery(ResultSet rs) throws SQLException {
        int last = rs.getInt(5);
        Integer lastStatus = rs.wasNull() ? null : last;
        return new Delivery(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4), lastStatus,
                rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9));
    }

    /** Newest first, keyset-paged by (created_at, id). */
    List<Delivery> deliveries(UUID endpointId, @Nullable Instant beforeCreated, @Nullable UUID beforeId, int limit) {
        return query("SELECT " + DELIVERY_COLUMNS + """
                 FROM webhook_deliveries WHERE endpoint_id = ?
                  AND (CAST(? AS timestamptz) IS NULL OR (created_at, id) < (CAST(? AS timestamptz), CAST(? AS uuid)))
                ORDER BY created_at DESC, id DESC LIMIT ?""", ps -> {
            ps.setObject(1, endpointId);
            Timestamp t = beforeCreated == null ? null : Timestamp.from(beforeCreated);
            ps.setTimestamp(2, t);
            ps.setTimestamp(3, t);
            ps.setObject(4, beforeId);
            ps.setInt(5, limit);
        }, WebhookRepository::delivery);
    }

    /** Queues a delivery again, now, with the same webhook-id (receivers drop repeats by it). */
    @Nullable
    Delivery redeliver(UUID endpointId, UUID deliveryId) {
        List<Delivery> d = query("UPDATE webhook_deliveries SET next_attempt = clock_timestamp(), failed_at = NULL,"
                + " delivered_at = NULL WHERE endpoint_id = ? AND id = ? RETURNING " + DELIVERY_COLUMNS, ps -> {
            ps.setObject(1, endpointId);
            ps.setObject(2, deliveryId);
        }, WebhookRepository::delivery);
        return d.isEmpty() ? null : d.get(0);
    }

    /**
     * Claims due deliveries, at most {@code perEndpoint} of any one endpoint and none of the
     * endpoints in {@code busy}, with a one-minute lease. Safe with replicas: the UPDATE re-checks
     * a row's due time after waiting for another replica's claim on it, and skips it.
     */
    List<Due> claim(int limit, int perEndpoint, List<UUID> busy) {
        return query("""
                UPDATE webhook_deliveries d SET next_attempt = clock_timestamp() + interval '60 seconds'
                  FROM webhook_endpoints e
                 WHERE e.id = d.endpoint_id
                   AND d.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt, id) AS n
                                                 FROM webhook_deliveries
                                                WHERE delivered_at IS NULL AND failed_at IS NULL
                                                  AND next_attempt <= clock_timestamp() AND endpoint_id <> ALL (?)) c
                                 WHERE c.n <= ? LIMIT ?)
                   AND d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt <= clock_timestamp()
                RETURNING d.id, d.endpoint_id, e.url, e.secret, d.payload, d.attempts, d.created_at""", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("uuid", busy.toArray()));
            ps.setInt(2, perEndpoint);
            ps.setInt(3, limit);
        }, rs -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6), instant(rs, 7)));
    }

    void delivered(UUID id, int status) {
        update("""
                UPDATE webhook_deliveries SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_status = ?,
                       last_error = NULL, last_attempt_at = clock_timestamp() WHERE id = ?""", ps -> {
            ps.setInt(1, status);
            ps.setObject(2, id);
        });
    }

    /** A failed attempt: retried after {@code retryIn}, or marked failed when that is null. */
    void attemptFailed(UUID id, @Nullable Integer status, String error, @Nullable Duration retryIn) {
        update("""
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?,
                       last_attempt_at = clock_timestamp(),
                       failed_at = CASE WHEN CAST(? AS double precision) IS NULL THEN clock_timestamp() END,
                       next_attempt = clock_timestamp() + make_interval(secs => coalesce(CAST(? AS double precision), 0))
                 WHERE id = ?""", ps -> {
            if (status == null) {
                ps.setNull(1, java.sql.Types.INTEGER);
            } else {
                ps.setInt(1, status);
            }
            ps.setString(2, error.length() > 300 ? error.substring(0, 300) : error);
            Double secs = retryIn == null ? null : (double) retryIn.toMillis() / 1000;
            ps.setObject(3, secs);
            ps.setObject(4, secs);
            ps.setObject(5, id);
        });
    }

    /** Delivered and failed deliveries older than the retention go (batched; safe with replicas). */
    int prune(Duration retention) {
        return update("""
                DELETE FROM webhook_deliveries WHERE id IN (
                  SELECT id FROM webhook_deliveries WHERE coalesce(delivered_at, failed_at) < clock_timestamp() - make_interval(secs => ?)
                   LIMIT 1000 FOR UPDATE SKIP LOCKED)""", ps -> ps.setDouble(1, retention.toSeconds()));
    }

    @Nullable
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
