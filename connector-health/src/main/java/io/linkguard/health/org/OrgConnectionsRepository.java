package io.linkguard.health.org;

import io.linkguard.health.status.HealthStatus;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An org's health rows, for its admins: keyset pages and counts. */
@Singleton
public class OrgConnectionsRepository {

    /** One count of the summary. */
    record Count(String connector, HealthStatus status, long rows) {
    }

    private final Sql sql;

    OrgConnectionsRepository(Sql sql) {
        this.sql = sql;
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
    List<OrgConnection> page(UUID orgId, @Nullable HealthStatus status, @Nullable String connector,
                             @Nullable Key after, int limit) {
        // the parameters in the order pageSql takes them, only those of the filters present
        List<Object> params = new ArrayList<>();
        params.add(orgId);
        if (status != null) {
            params.add(status.value());
        }
        if (connector != null) {
            params.add(connector);
        }
        if (after != null) {
            params.add(after.userId());
            params.add(after.connector());
        }
        params.add(limit);
        return sql.list(pageSql(status != null, connector != null, after != null), OrgConnectionsRepository::connection,
                params.toArray());
    }

    private static OrgConnection connection(ResultSet rs) throws SQLException {
        return new OrgConnection(Sql.uuid(rs, "user_id"), rs.getString("connector"), HealthStatus.of(rs.getString("status")),
                rs.getString("error_code"), Sql.instant(rs, "last_success_at"), Sql.instant(rs, "last_failure_at"),
                Sql.instant(rs, "updated_at"), Sql.uuid(rs, "auth_profile_id"));
    }

    /** The sort key of a row: where the next page starts. */
    record Key(UUID userId, String connector) {
    }

    /**
     * @param orgId the org
     * @return rows per (connector, status); an index-only scan of the status index
     */
    List<Count> counts(UUID orgId) {
        return sql.list("SELECT connector, status, count(*) AS n FROM connector_health WHERE org_id = ? GROUP BY connector, status",
                rs -> new Count(rs.getString("connector"), HealthStatus.of(rs.getString("status")), rs.getLong("n")), orgId);
    }
}
