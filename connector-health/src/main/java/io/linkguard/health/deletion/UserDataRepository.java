package io.linkguard.health.deletion;

import io.linkguard.sql.Sql;
import jakarta.inject.Singleton;

import java.util.UUID;

/** Everything this schema keeps about one user, for the deletion auth-server delivers. */
@Singleton
class UserDataRepository {

    private final Sql sql;

    UserDataRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Removes every row of a user in this schema (health, history, pause, webhook deliveries) in
     * one statement, so a deletion is never half done. Running it again deletes nothing more.
     *
     * @param userId the user
     * @return rows deleted
     */
    int deleteUser(UUID userId) {
        Integer deleted = sql.one("""
                WITH a AS (DELETE FROM connector_health WHERE user_id = ? RETURNING 1),
                     b AS (DELETE FROM connector_health_history WHERE user_id = ? RETURNING 1),
                     c AS (DELETE FROM automation_pause WHERE user_id = ? RETURNING 1),
                     d AS (DELETE FROM webhook_deliveries WHERE user_id = ? RETURNING 1)
                SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c)
                     + (SELECT count(*) FROM d)""", rs -> rs.getInt(1), userId, userId, userId, userId);
        return deleted == null ? 0 : deleted;
    }
}
