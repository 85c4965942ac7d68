package io.linkguard.health.webhook;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Webhook endpoints and their deliveries (the outbox rows the transitions write). */
@Singleton
class WebhookRepository {

    /** Delivered and failed deliveries deleted per statement of {@link #prune}. */
    static final int PRUNE_BATCH = 1000;

    private final Sql sql;

    WebhookRepository(Sql sql) {
        this.sql = sql;
    }

    /** An endpoint as stored (the secret stays in this package). */
    record Endpoint(UUID id, UUID orgId, String url, List<String> events, @Nullable String description, String secret,
                    Instant createdAt) {
    }

    /** A delivery as the admin sees it. */
    record Delivery(UUID id, String event, DeliveryStatus status, int attempts, @Nullable Integer lastStatus,
                    @Nullable String lastError, @Nullable Instant lastAttemptAt, @Nullable Instant deliveredAt,
                    Instant createdAt) {
    }

    /** A claimed delivery, ready to send. */
    record Due(UUID id, UUID endpointId, String url, String secret, String payload, int attempts, Instant createdAt) {
    }

    private static final String ENDPOINT_COLUMNS = "id, org_id, url, events, description, secret, created_at";

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(Sql.uuid(rs, "id"), Sql.uuid(rs, "org_id"), rs.getString("url"), Sql.strings(rs, "events"),
                rs.getString("description"), rs.getString("secret"), Sql.instant(rs, "created_at"));
    }

    /**
     * Contract: the count and the insert are one statement, and the org's advisory lock (held to the
     * end of the transaction) orders concurrent creations, so an org never gets past {@code max}
     * however many requests race; no row back means the limit was reached.
     *
     * @return the new endpoint, or null when the org already has {@code max} endpoints
     */
    @Nullable
    Endpoint create(UUID orgId, String url, List<String> events, @Nullable String description, String secret, int max) {
        return sql.one("""
                WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended(CAST(? AS text), 7)))
                INSERT INTO webhook_endpoints (id, org_id, url, events, description, secret)
                SELECT ?, ?, ?, ?, ?, ? FROM lock
                 WHERE (SELECT count(*) FROM webhook_endpoints WHERE org_id = ?) < ?
                RETURNING\s""" + ENDPOINT_COLUMNS, WebhookRepository::endpoint,
                orgId.toString(), UUID.randomUUID(), orgId, url, events.toArray(String[]::new), description, secret,
                orgId, max);
    }

    List<Endpoint> list(UUID orgId) {
        return sql.list("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE org_id = ? ORDER BY created_at, id",
                WebhookRepository::endpoint, orgId);
    }

    @Nullable
    Endpoint find(UUID orgId, UUID id) {
        return sql.one("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE org_id = ? AND id = ?",
                WebhookRepository::endpoint, orgId, id);
    }

    /** @return whether the endpoint existed (its deliveries go with it) */
    boolean delete(UUID orgId, UUID id) {
        return sql.update("DELETE FROM webhook_endpoints WHERE org_id = ? AND id = ?", orgId, id) == 1;
    }

    private static final String DELIVERY_COLUMNS = """
            id, event, CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN failed_at IS NOT NULL THEN 'failed'
                            ELSE 'pending' END AS status, attempts, last_status, last_error, last_attempt_at, delivered_at,
            created_at""";

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(Sql.uuid(rs, "id"), rs.getString("event"), DeliveryStatus.of(rs.getString("status")),
                rs.getInt("attempts"), Sql.integer(rs, "last_status"), rs.getString("last_error"),
                Sql.instant(rs, "last_attempt_at"), Sql.instant(rs, "delivered_at"), Sql.instant(rs, "created_at"));
    }

    /** Newest first, keyset-paged by (created_at, id). */
    List<Delivery> deliveries(UUID endpointId, @Nullable Instant beforeCreated, @Nullable UUID beforeId, int limit) {
        return sql.list("SELECT " + DELIVERY_COLUMNS + """
                 FROM webhook_deliveries WHERE endpoint_id = ?
                  AND (CAST(? AS timestamptz) IS NULL OR (created_at, id) < (CAST(? AS timestamptz), CAST(? AS uuid)))
                ORDER BY created_at DESC, id DESC LIMIT ?""", WebhookRepository::delivery,
                endpointId, beforeCreated, beforeCreated, beforeId, limit);
    }

    /**
     * Queues a delivery again, now, with the same webhook-id (receivers drop repeats by it).
     *
     * @return the delivery, or null when the endpoint has no such delivery
     */
    @Nullable
    Delivery redeliver(UUID endpointId, UUID deliveryId) {
        return sql.one("UPDATE webhook_deliveries SET next_attempt = clock_timestamp(), failed_at = NULL,"
                + " delivered_at = NULL WHERE endpoint_id = ? AND id = ? RETURNING " + DELIVERY_COLUMNS,
                WebhookRepository::delivery, endpointId, deliveryId);
    }

    /**
     * Claims due deliveries, at most {@code perEndpoint} of any one endpoint and none of the
     * endpoints in {@code busy}, with a one-minute lease. Safe with replicas: the UPDATE re-checks
     * a row's due time after waiting for another replica's claim on it, and skips it; a row it
     * does not return belongs to someone else.
     */
    List<Due> claim(int limit, int perEndpoint, List<UUID> busy) {
        return sql.list("""
                UPDATE webhook_deliveries d SET next_attempt = clock_timestamp() + interval '60 seconds'
                  FROM webhook_endpoints e
                 WHERE e.id = d.endpoint_id
                   AND d.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt, id) AS n
                                                 FROM webhook_deliveries
                                                WHERE delivered_at IS NULL AND failed_at IS NULL
                                                  AND next_attempt <= clock_timestamp() AND endpoint_id <> ALL (?)) c
                                 WHERE c.n <= ? LIMIT ?)
                   AND d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt <= clock_timestamp()
                RETURNING d.id, d.endpoint_id, e.url, e.secret, d.payload, d.attempts, d.created_at""",
                rs -> new Due(Sql.uuid(rs, "id"), Sql.uuid(rs, "endpoint_id"), rs.getString("url"), rs.getString("secret"),
                        rs.getString("payload"), rs.getInt("attempts"), Sql.instant(rs, "created_at")),
                busy.toArray(UUID[]::new), perEndpoint, limit);
    }

    void delivered(UUID id, int status) {
        sql.update("""
                UPDATE webhook_deliveries SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_status = ?,
                       last_error = NULL, last_attempt_at = clock_timestamp() WHERE id = ?""", status, id);
    }

    /** A failed attempt: retried after {@code retryIn}, or marked failed when that is null. */
    void attemptFailed(UUID id, @Nullable Integer status, String error, @Nullable Duration retryIn) {
        Double secs = retryIn == null ? null : (double) retryIn.toMillis() / 1000;
        sql.update("""
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?,
                       last_attempt_at = clock_timestamp(),
                       failed_at = CASE WHEN CAST(? AS double precision) IS NULL THEN clock_timestamp() END,
                       next_attempt = clock_timestamp() + make_interval(secs => coalesce(CAST(? AS double precision), 0))
                 WHERE id = ?""", status, error.length() > 300 ? error.substring(0, 300) : error, secs, secs, id);
    }

    /**
     * Delivered and failed deliveries older than the retention go, one batch (safe with replicas).
     *
     * @return rows deleted; {@link #PRUNE_BATCH} means there may be more
     */
    int prune(Duration retention) {
        return sql.update("""
                DELETE FROM webhook_deliveries WHERE id IN (
                  SELECT id FROM webhook_deliveries WHERE coalesce(delivered_at, failed_at) < clock_timestamp() - make_interval(secs => ?)
                   LIMIT 1000 FOR UPDATE SKIP LOCKED)""", (double) retention.toSeconds());
    }
}
