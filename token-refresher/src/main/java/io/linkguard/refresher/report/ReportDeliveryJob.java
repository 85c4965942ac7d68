package io.linkguard.refresher.report;

import io.linkguard.http.security.InternalTokens;
import io.linkguard.refresher.config.RefresherSettings;
import io.linkguard.refresher.config.ServiceUrls;
import io.linkguard.sql.Sql;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Delivers queued reports in order of creation, with exponential backoff per report. Rows are
 * leased through {@code FOR UPDATE SKIP LOCKED}, so replicas never send the same report twice at
 * once. A report the target refuses for good (a 4xx other than 401 and 429: an unknown profile,
 * a malformed body) or that keeps failing for about a day ({@link #MAX_ATTEMPTS}) becomes a dead
 * letter, kept for the operator and counted by the {@code linkguard.outbox.dead} gauge, instead of
 * being retried for ever. Delivered and dead rows are deleted after the retention (default 7 days).
 */
@Singleton
class ReportDeliveryJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReportDeliveryJob.class);
    /** 2^n seconds, capped at ten minutes: about a day of attempts. */
    static final int MAX_ATTEMPTS = 150;

    private final Sql sql;
    private final HttpClient http;
    private final InternalTokens tokens;
    private final Map<String, String> urls;
    private final Duration retention;

    ReportDeliveryJob(Sql sql, @Client HttpClient http, InternalTokens tokens, MeterRegistry metrics,
                      ServiceUrls services, RefresherSettings settings) {
        this.sql = sql;
        this.http = http;
        this.tokens = tokens;
        this.urls = Map.of("health", services.healthUrl(), "auth", services.authUrl());
        this.retention = settings.outboxRetention();
        Gauge.builder("linkguard.outbox.dead", this, ReportDeliveryJob::deadLetters).tag("outbox", "refresher.report_outbox")
                .description("Reports refused for good or that failed for a day").register(metrics);
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.report-interval:1s}", initialDelay = "2s")
    void deliver() {
        List<Queued> due;
        do {
            due = sql.list("""
                    UPDATE report_outbox SET next_attempt = now() + interval '60 seconds'
                     WHERE id IN (SELECT id FROM report_outbox WHERE delivered_at IS NULL AND dead_at IS NULL
                                     AND next_attempt <= now()
                                   ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED)
                    RETURNING id, target, path, body, attempts, traceparent""",
                    rs -> new Queued(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6)));
            due.forEach(this::send);
        } while (due.size() == 50);
    }

    /** Delivered and dead rows older than the retention go, in batches (safe with replicas). */
    @Scheduled(fixedDelay = "${linkguard.refresher.outbox-cleanup-interval:10m}",
            initialDelay = "${linkguard.refresher.outbox-cleanup-delay:30s}")
    void prune() {
        int deleted;
        do {
            deleted = sql.update("""
                    DELETE FROM report_outbox WHERE id IN (
                      SELECT id FROM report_outbox
                       WHERE coalesce(delivered_at, dead_at) < now() - make_interval(secs => ?)
                       LIMIT 1000 FOR UPDATE SKIP LOCKED)""", (double) retention.toSeconds());
        } while (deleted == 1000);
    }

    private record Queued(long id, String target, String path, String body, int attempts, @Nullable String traceparent) {
    }

    private void send(Queued q) {
        long id = q.id();
        String target = q.target();
        int attempts = q.attempts();
        try {
            post(target, q.path(), q.body(), q.traceparent());
            sql.updateOne("mark report delivered", "UPDATE report_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = ?", id);
        } catch (RuntimeException e) {
            int status = e instanceof HttpClientResponseException r ? r.code() : 0;
            if (status == 401) {
                tokens.invalidate();
            }
            boolean refused = status >= 400 && status < 500 && status != 401 && status != 429;
            boolean dead = refused || attempts + 1 >= MAX_ATTEMPTS;
            long delay = Math.min(600, (long) Math.pow(2, Math.min(attempts, 10)));
            LOG.warn("Report {} to {} failed (attempt {}){}: {}", id, target, attempts + 1,
                    dead ? ", kept as a dead letter" : ", retrying in " + delay + " s", e.toString());
            sql.updateOne("reschedule report", """
                    UPDATE report_outbox SET attempts = attempts + 1, last_error = ?, dead_at = CASE WHEN ? THEN now() END,
                           next_attempt = now() + make_interval(secs => ?) WHERE id = ?""",
                    status == 0 ? e.getClass().getSimpleName() : "HTTP " + status, dead, (double) delay, id);
        }
    }

    /** With the queuing work's trace context, so the delivery continues that trace whenever and wherever it runs. */
    private void post(String target, String path, String body, @Nullable String traceparent) {
        MutableHttpRequest<String> request = HttpRequest.POST(urls.get(target) + path, body)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(tokens.get());
        if (traceparent == null) {
            http.toBlocking().exchange(request);
            return;
        }
        Context queued = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent,
                new TextMapGetter<String>() {
                    @Override
                    public Iterable<String> keys(String carrier) {
                        return List.of("traceparent");
                    }

                    @Override
                    public String get(String carrier, String key) {
                        return "traceparent".equals(key) ? carrier : null;
                    }
                });
        try (Scope ignored = queued.makeCurrent()) {
            http.toBlocking().exchange(request);
        }
    }

    private double deadLetters() {
        Long n = sql.one("SELECT count(*) FROM report_outbox WHERE dead_at IS NOT NULL", rs -> rs.getLong(1));
        return n == null ? 0 : n;
    }
}
