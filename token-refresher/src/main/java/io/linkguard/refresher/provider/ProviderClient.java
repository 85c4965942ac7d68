package io.linkguard.refresher.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** RFC 6749 §6 refresh requests to a provider's token endpoint. */
@Singleton
public class ProviderClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json;
    private final MeterRegistry metrics;
    private final Tracer tracer;

    ProviderClient(JsonMapper json, MeterRegistry metrics, OpenTelemetry openTelemetry) {
        this.json = json;
        this.metrics = metrics;
        this.tracer = openTelemetry.getTracer("io.linkguard.refresher");
    }

    /**
     * One refresh request, as a span of the caller's trace ({@code provider token refresh}, with the
     * provider and the outcome) and in the {@code linkguard.provider.request} latency histogram.
     */
    public RefreshOutcome refresh(ProviderConfiguration p, String refreshToken) {
        long sent = System.nanoTime();
        Span span = tracer.spanBuilder("provider token refresh").setSpanKind(SpanKind.CLIENT)
                .setAttribute("linkguard.provider", p.key()).setAttribute("url.full", p.tokenUrl()).startSpan();
        RefreshOutcome outcome = null;
        try (Scope ignored = span.makeCurrent()) {
            outcome = send(p, refreshToken);
            return outcome;
        } finally {
            String kind = outcome == null ? "error" : outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            span.setAttribute("linkguard.outcome", kind);
            if (outcome instanceof RefreshOutcome.Refused r) {
                span.setAttribute("http.response.status_code", r.status());
            }
            span.end();
            Timer.builder("linkguard.provider.request")
                    .description("Refresh requests to a provider's token endpoint, by outcome")
                    .tag("provider", p.key()).tag("outcome", kind)
                    .publishPercentileHistogram().register(metrics)
                    .record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
        }
    }

    private RefreshOutcome send(ProviderConfiguration p, String refreshToken) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&refresh_token=").append(enc(refreshToken));
        HttpRequest.Builder b = authenticated(p, p.tokenUrl(), form);
        if (p.tokenUrl().startsWith("http:")) {
            // no h2c upgrade offer on cleartext (a local stand-in); TLS providers negotiate HTTP/2 by ALPN
            b.version(HttpClient.Version.HTTP_1_1);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new RefreshOutcome.NotSent(e.getClass().getSimpleName());
        } catch (IOException e) {
            // timeouts, resets, a dropped connection: the provider may have rotated the token already
            return new RefreshOutcome.Uncertain(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RefreshOutcome.Uncertain("interrupted");
        }
        Map<String, Object> body = parse(r.body());
        if (r.statusCode() == 200 && body.get("access_token") instanceof String access) {
            Instant expires = body.get("expires_in") instanceof Number n ? Instant.now().plusSeconds(n.longValue()) : null;
            List<String> scopes = body.get("scope") instanceof String s && !s.isBlank()
                    ? Arrays.asList(s.trim().split("[\\s,]+")) : null;
            String type = body.get("token_type") instanceof String t ? t : "Bearer";
            return new RefreshOutcome.Refreshed(access, body.get("refresh_token") instanceof String rt ? rt : null, type, expires, scopes);
        }
        String code = body.get("error") instanceof String e ? e : null;
        return new RefreshOutcome.Refused(r.statusCode(), code, retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
    }

    /** What became of an RFC 7009 revocation request. */
    public enum Revocation { REVOKED, REFUSED, FAILED }

    /**
     * Asks the provider to revoke a grant (RFC 7009), authenticating as for a refresh. 200 means
     * revoked (the RFC answers 200 for an already invalid token too); another 4xx is a refusal
     * that trying again would not change; 5xx and network trouble may be retried.
     */
    public Revocation revoke(ProviderConfiguration p, String token, String tokenTypeHint) {
        StringBuilder form = new StringBuilder("token=").append(enc(token)).append("&token_type_hint=").append(enc(tokenTypeHint));
        HttpRequest.Builder b = authenticated(p, p.revokeUrl(), form);
        try {
            int status = http.send(b.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Revocation.REVOKED;
            }
            return status >= 400 && status < 500 && status != 429 ? Revocation.REFUSED : Revocation.FAILED;
        } catch (IOException e) {
            return Revocation.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Revocation.FAILED;
        }
    }

    /** A form POST to {@code url} with the client's authentication (HTTP Basic, or in the body for {@code post}). */
    private static HttpRequest.Builder authenticated(ProviderConfiguration p, String url, StringBuilder form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if ("post".equals(p.authStyle())) {
            form.append("&client_id=").append(enc(p.clientId())).append("&client_secret=").append(enc(p.clientSecret()));
        } else {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (enc(p.clientId()) + ":" + enc(p.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String text) {
        try {
            Map<String, Object> m = json.readValue(text, Map.class);
            return m == null ? Map.of() : m;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    @Nullable
    static Duration retryAfter(@Nullable String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = java.time.ZonedDateTime.parse(header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Duration.between(Instant.now(), at).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), at);
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
