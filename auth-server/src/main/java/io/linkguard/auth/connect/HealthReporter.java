package io.linkguard.auth.connect;

import io.linkguard.sql.Sql;
import io.linkguard.auth.profile.AuthProfile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Tells connector-health that a connection was made ({@code outcome: success}), so a "needs
 * re-auth" banner clears at once. The report is a row of {@code health_report_outbox}, written in
 * the transaction that marks the profile connected (a crash cannot keep one without the other);
 * it is delivered right after the commit and, when connector-health is down, by a replica-safe job
 * with backoff until it confirms. A refusal for good (4xx) or a day of failures makes it a dead
 * letter, counted by the {@code linkguard.outbox.dead} gauge.
 */
@Singleton
public class HealthReporter {

    private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);
    static final int MAX_ATTEMPTS = 20;   // 2^n seconds, capped at an hour: about a day

    private final HttpClient http;
    private final InternalTokenSource internalTokens;
    private final Sql sql;
    private final JsonMapper json;

    HealthReporter(@Client("${linkguard.services.health-url}") HttpClient http,
                   InternalTokenSource internalTokens, Sql sql, JsonMapper json, MeterRegistry metrics) {
        this.http = http;
        this.internalTokens = internalTokens;
        this.sql = sql;
        this.json = json;
        Gauge.builder("linkguard.outbox.dead", this, HealthReporter::deadLetters).tag("outbox", "auth.health_report_outbox")
                .description("Reports connector-health refused for good or that failed for a day").register(metrics);
    }

    @Serdeable
    record Report(UUID orgId, UUID userId, String connector, String outcome, @Nullable String errorCode,
                  @Nullable Boolean permanent, Instant observedAt, UUID authProfileId) {
    }

    /**
     * Queues the "connected" report; call inside the transaction that marks the profile connected.
     *
     * @return the outbox row, to deliver after the commit
     */
    public long queueConnected(AuthProfile profile) {
        Report report = new Report(profile.orgId(), profile.createdBy(), profile.connectorKey(), "success",
                null, null, Instant.now(), profile.id());
        try {
            return sql.one("INSERT INTO health_report_outbox (user_id, body) VALUES (?, ?) RETURNING id", rs -> rs.getLong(1),
                    profile.createdBy(), json.writeValueAsString(List.of(report)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delivers one queued row now (after its transaction committed); the job retries on failure. */
    public void deliver(long id) {
        claim("id = ?", id).forEach(this::send);
    }

    @Scheduled(fixedDelay = "${linkguard.connect.report-interval:5s}", initialDelay = "${linkguard.connect.report-initial-delay:5s}")
    void deliverDue() {
        List<Row> due;
        do {
            due = claim("next_attempt <= now()", null);
            due.forEach(this::send);
        } while (due.size() == 50);
        sql.update("DELETE FROM health_report_outbox WHERE coalesce(delivered_at, dead_at) < now() - interval '7 days'");
    }

    private record Row(long id, String body, int attempts) {
    }

    /** A lease: the claimed rows' next attempt moves a minute ahead, so replicas never send one twice at once. */
    private List<Row> claim(String condition, @Nullable Long id) {
        String query = """
                UPDATE health_report_outbox SET next_attempt = now() + interval '60 seconds'
                 WHERE id IN (SELECT id FROM health_report_outbox
                               WHERE delivered_at IS NULL AND dead_at IS NULL AND %s
                               ORDER BY next_attempt LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING id, body, attempts""".formatted(condition);
        Sql.Row<Row> map = rs -> new Row(rs.getLong(1), rs.getString(2), rs.getInt(3));
        return id == null ? sql.list(query, map) : sql.list(query, map, id);
    }

    private void send(Row row) {
        try {
            http.toBlocking().exchange(HttpRequest.POST("/internal/health/reports", row.body())
                    .contentType("application/json").bearerAuth(internalTokens.internalToken()));
            sql.update("UPDATE health_report_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = ?", row.id());
        } catch (RuntimeException e) {
            boolean refused = e instanceof HttpClientResponseException r && r.getStatus().getCode() >= 400
                    && r.getStatus().getCode() < 500 && r.getStatus().getCode() != 401 && r.getStatus().getCode() != 429;
            boolean dead = refused || row.attempts() + 1 >= MAX_ATTEMPTS;
            long delaySeconds = Math.min(3600, (long) Math.pow(2, Math.min(row.attempts(), 12)));
            LOG.warn("connected report {} not delivered to connector-health (attempt {}){}: {}", row.id(), row.attempts() + 1,
                    dead ? ", kept as a dead letter" : ", retrying in " + delaySeconds + " s", e.getClass().getSimpleName());
            sql.update("""
                    UPDATE health_report_outbox SET attempts = attempts + 1, last_error = ?,
                           dead_at = CASE WHEN ? THEN now() END, next_attempt = now() + make_interval(secs => ?)
                     WHERE id = ?""", e.getClass().getSimpleName(), dead, (double) delaySeconds, row.id());
        }
    }

    private double deadLetters() {
        Long n = sql.one("SELECT count(*) FROM health_report_outbox WHERE dead_at IS NOT NULL", rs -> rs.getLong(1));
        return n == null ? 0 : n;
    }
}
