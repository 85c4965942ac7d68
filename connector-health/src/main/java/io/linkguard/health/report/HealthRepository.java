package io.linkguard.health.report;

import io.linkguard.http.config.PublicUrl;
import io.linkguard.health.status.HealthStatus;
import io.linkguard.health.webhook.WebhookOutbox;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The health rows. Concurrency contract: any number of reports for one (user, connector) may
 * arrive at once, in any order; each is applied by ONE statement that locks the row, applies
 * the report only if it was observed no earlier than the state it overwrites, and writes the
 * history entry for a status change in the same statement, so row and history never disagree.
 */
@Singleton
public class HealthRepository {

    /** How a report changes the row. */
    public enum Change {
        SUCCESS(HealthStatus.CONNECTED), PERMANENT_FAILURE(HealthStatus.NEEDS_REAUTH), REVOKED(HealthStatus.REVOKED),
        TRANSIENT_FAILURE(HealthStatus.CONNECTED), DISABLED(HealthStatus.DISABLED);

        private final HealthStatus status;

        Change(HealthStatus status) {
            this.status = status;
        }

        /** @return the status the row takes, unless the change keeps the current one (a transient failure) */
        HealthStatus status() {
            return status;
        }

        /** @return whether the change records a failure with its code (the grant is gone) */
        boolean recordsCode() {
            return this == PERMANENT_FAILURE || this == REVOKED;
        }
    }

    /**
     * The row after an applied report.
     *
     * @param status    its status
     * @param errorCode its error code
     */
    public record Applied(HealthStatus status, @Nullable String errorCode) {
    }

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

    private final Sql sql;
    private final PublicUrl publicUrl;

    HealthRepository(Sql sql, PublicUrl publicUrl) {
        this.sql = sql;
        this.publicUrl = publicUrl;
    }

    /**
     * Applies one report. Contract: one statement, so concurrent reports for the same row are
     * serialised by its row lock; an answer without a row means the report was older than the
     * state it would overwrite (or named another org) and changed nothing: "ignored".
     *
     * @return the row after the report, or null when the report was ignored
     */
    @Nullable
    public Applied apply(UUID userId, String connector, UUID orgId, Change change, @Nullable String errorCode,
                         @Nullable Instant observedAt, @Nullable UUID authProfileId, boolean announceRefreshFailure) {
        boolean transientFailure = change == Change.TRANSIENT_FAILURE;
        return sql.one(APPLY, rs -> new Applied(HealthStatus.of(rs.getString("status")), rs.getString("error_code")),
                userId, connector, orgId, change.status().value(), change.recordsCode() ? errorCode : null,
                // which timestamp this report sets; the other one is kept (a flap never erases the last success)
                change == Change.SUCCESS, change.recordsCode() || transientFailure,
                authProfileId, observedAt,
                transientFailure, transientFailure,
                // webhooks: a refresh failure is announced only when token-refresher reports it (once per run)
                announceRefreshFailure && transientFailure,
                publicUrl.base());
    }

    /**
     * A connection was deleted: its connector's row goes (the banner with it), unless the row now
     * belongs to another connection of the same connector (reconnected meanwhile). Removing a row
     * that is already gone is no error: the removal may be delivered more than once.
     *
     * @return whether a row was removed
     */
    public boolean remove(UUID userId, String connector, UUID orgId, UUID authProfileId) {
        return sql.update("""
                DELETE FROM connector_health WHERE user_id = ? AND connector = ? AND org_id = ?
                   AND (auth_profile_id IS NULL OR auth_profile_id = ?)""", userId, connector, orgId, authProfileId) > 0;
    }

    /** One connector's state, for the status endpoint. */
    public record Row(String connector, HealthStatus status, @Nullable String errorCode, @Nullable Instant lastSuccessAt,
                      @Nullable Instant lastFailureAt) {
    }

    /**
     * @param userId a user
     * @return the user's connectors, ordered by key
     */
    public List<Row> findByUser(UUID userId) {
        return sql.list("""
                SELECT connector, status, error_code, last_success_at, last_failure_at
                  FROM connector_health WHERE user_id = ? ORDER BY connector""",
                rs -> new Row(rs.getString("connector"), HealthStatus.of(rs.getString("status")), rs.getString("error_code"),
                        Sql.instant(rs, "last_success_at"), Sql.instant(rs, "last_failure_at")), userId);
    }
}
