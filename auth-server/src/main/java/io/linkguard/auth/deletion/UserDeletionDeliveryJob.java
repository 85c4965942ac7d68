package io.linkguard.auth.deletion;

import io.linkguard.auth.config.ServiceUrls;
import io.linkguard.auth.connect.InternalTokenSource;
import io.linkguard.sql.Sql;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers recorded user deletions ({@code DELETE /internal/users/{id}}) until each service
 * answers 2xx, with exponential backoff (capped at an hour). Rows are claimed with a lease taken
 * through {@code FOR UPDATE SKIP LOCKED}, so several replicas never deliver the same row at once.
 */
@Singleton
class UserDeletionDeliveryJob {

    private static final Logger LOG = LoggerFactory.getLogger(UserDeletionDeliveryJob.class);

    private final Sql sql;
    private final HttpClient http;
    private final InternalTokenSource tokens;
    private final Map<String, String> urls;

    UserDeletionDeliveryJob(Sql sql, @Client HttpClient http, InternalTokenSource tokens, ServiceUrls services) {
        this.sql = sql;
        this.http = http;
        this.tokens = tokens;
        this.urls = Map.of("token-refresher", services.refresherUrl(), "connector-health", services.healthUrl());
    }

    /** A claimed outbox row: one user's deletion still to be told to one service. */
    private record Due(long id, UUID userId, String service, int attempts) {
    }

    @Scheduled(fixedDelay = "${linkguard.deletion.interval:5s}", 
            initialDelay = "${linkguard.deletion.initial-delay:5s}")
    void deliverDue() {
        while (deliverBatch() > 0) {
            // keep going while there is due work
        }
    }

    /**
     * Claims due rows by pushing their next attempt a minute ahead (a lease: a crashed replica's
     * claim simply expires), then delivers outside any transaction.
     *
     * @return rows attempted
     */
    int deliverBatch() {
        List<Due> due = sql.list("""
                UPDATE user_deletion_outbox SET next_attempt = now() + interval '60 seconds'
                 WHERE id IN (SELECT id FROM user_deletion_outbox
                               WHERE delivered_at IS NULL AND next_attempt <= now()
                               ORDER BY next_attempt LIMIT 20 FOR UPDATE SKIP LOCKED)
                RETURNING id, user_id, service, attempts""",
                rs -> new Due(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4)));
        for (Due row : due) {
            long id = row.id();
            UUID userId = row.userId();
            String service = row.service();
            int attempts = row.attempts();
            try {
                http.toBlocking().exchange(HttpRequest.DELETE(URI.create(urls.get(service) + "/internal/users/" + userId).toString())
                        .bearerAuth(tokens.internalToken()));
                // delivered: the row goes at once, so nothing keeps the deleted user's id
                sql.updateOne("forget delivered deletion", "DELETE FROM user_deletion_outbox WHERE id = ?", id);
            } catch (RuntimeException e) {
                long delaySeconds = Math.min(3600, (long) Math.pow(2, Math.min(attempts, 12)));
                LOG.warn("Deleting user {} at {} failed (attempt {}), retrying in {} s", userId, service, attempts + 1, delaySeconds);
                sql.updateOne("reschedule deletion", """
                        UPDATE user_deletion_outbox SET attempts = attempts + 1, last_error = ?,
                               next_attempt = now() + make_interval(secs => ?) WHERE id = ?""",
                        e.getClass().getSimpleName(), (double) delaySeconds, id);
            }
        }
        return due.size();
    }
}
