package io.linkguard.refresher.report;

import io.linkguard.refresher.credential.Sql;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Delivers queued reports in order of creation, with exponential backoff per report. Rows are
 * leased through {@code FOR UPDATE SKIP LOCKED}, so replicas never send the same report twice at once.
 */
@Singleton
class ReportDeliveryJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReportDeliveryJob.class);

    private final Sql sql;
    private final HttpClient http;
    private final InternalTokens tokens;
    private final Map<String, String> urls;

    ReportDeliveryJob(Sql sql, @Client HttpClient http, InternalTokens tokens,
                      @Value("${linkguard.health-url}") String healthUrl, @Value("${linkguard.auth-url}") String authUrl) {
        this.sql = sql;
        this.http = http;
        this.tokens = tokens;
        this.urls = Map.of("health", healthUrl, "auth", authUrl);
    }

    @Scheduled(fixedDelay = "${linkguard.refresher.report-interval:1s}", initialDelay = "2s")
    void deliver() {
        List<Object[]> due;
        do {
            due = sql.list("""
                    UPDATE report_outbox SET next_attempt = now() + interval '60 seconds'
                     WHERE id IN (SELECT id FROM report_outbox WHERE delivered_at IS NULL AND next_attempt <= now()
                                   ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED)
                    RETURNING id, target, path, body, attempts""",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)});
            for (Object[] row : due) {
                send((Long) row[0], (String) row[1], (String) row[2], (String) row[3], (Integer) row[4]);
            }
        } while (due.size() == 50);
    }

    private void send(long id, String target, String path, String body, int attempts) {
        try {
            post(target, path, body);
            sql.updateOne("mark report delivered", "UPDATE report_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = ?", id);
        } catch (RuntimeException e) {
            if (e instanceof HttpClientResponseException r && r.code() == 401) {
                tokens.invalidate();
            }
            long delay = Math.min(600, (long) Math.pow(2, Math.min(attempts, 10)));
            LOG.warn("Report {} to {} failed (attempt {}), retrying in {} s: {}", id, target, attempts + 1, delay, e.toString());
            sql.updateOne("reschedule report", """
                    UPDATE report_outbox SET attempts = attempts + 1, next_attempt = now() + make_interval(secs => ?) WHERE id = ?""",
                    (double) delay, id);
        }
    }

    private void post(String target, String path, String body) {
        http.toBlocking().exchange(HttpRequest.POST(urls.get(target) + path, body)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(tokens.get()));
    }
}
