package io.linkguard.refresher.report;

import io.linkguard.refresher.credential.Credential;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Status transitions to tell connector-health (the banner) and auth-server (the profile's
 * status). Written to a table first and delivered by {@link ReportDeliveryJob} until each
 * service confirms, so a report is never lost when a service is down.
 */
@Singleton
public class ReportOutbox {

    private final Sql sql;
    private final JsonMapper json;

    ReportOutbox(Sql sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /** The credential works (again): connected, for this connector only. */
    public void connected(Credential c) {
        health(c, "success", null, false);
        auth(c, "active", null);
    }

    /** The grant is gone: the user must reconnect. */
    public void needsReauth(Credential c, String errorCode) {
        health(c, "failure", errorCode, true);
        auth(c, "needs_reauth", errorCode);
    }

    /**
     * Linkguard cannot refresh the credential for a reason on its side (no client for the
     * provider): the connector needs attention (a permanent failure for connector-health, with its
     * own error code and copy), but auth-server's profile stays as it is — reconnecting would not help.
     */
    public void cannotRefresh(Credential c, String errorCode) {
        health(c, "failure", errorCode, true);
    }

    /** The connection was deleted: connector-health drops the connector's row (the banner goes). */
    public void removed(Credential c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orgId", c.orgId());
        r.put("userId", c.userId());
        r.put("connector", c.connectorKey());
        r.put("authProfileId", c.authProfileId());
        insert(c.userId(), "health", "/internal/health/removals", List.of(r));
    }

    /** A transient failure: recorded as last failure, never flips the connector. */
    public void transientFailure(Credential c, @Nullable String errorCode) {
        health(c, "failure", errorCode, false);
    }

    private void health(Credential c, String outcome, @Nullable String errorCode, boolean permanent) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orgId", c.orgId());
        r.put("userId", c.userId());
        r.put("connector", c.connectorKey());
        r.put("outcome", outcome);
        if (errorCode != null) {
            r.put("errorCode", errorCode);
        }
        r.put("permanent", permanent);
        r.put("observedAt", Instant.now().toString());
        r.put("authProfileId", c.authProfileId());
        insert(c.userId(), "health", "/internal/health/reports", List.of(r));
    }

    private void auth(Credential c, String status, @Nullable String errorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (errorCode != null) {
            body.put("errorCode", errorCode);
        }
        insert(c.userId(), "auth", "/internal/auth-profiles/" + c.authProfileId() + "/status", body);
    }

    /** @return the current span as a W3C traceparent, or null outside a sampled trace */
    @Nullable
    private static String traceparent() {
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    private void insert(UUID userId, String target, String path, Object body) {
        try {
            sql.updateOne("queue report", "INSERT INTO report_outbox (user_id, target, path, body, traceparent) VALUES (?, ?, ?, ?, ?)",
                    userId, target, path, json.writeValueAsString(body), traceparent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
