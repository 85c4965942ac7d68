package io.linkguard.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's own access token (client_credentials), reused until shortly before it expires.
 * Thread-safe: callers read the cached token without locking; when it must be replaced, one thread
 * asks the token endpoint while the others wait for its answer, so a burst of calls costs one
 * token request.
 */
final class TokenCache {

    /** Replaced this long before expiry at most (a tenth of the lifetime for short-lived tokens). */
    private static final Duration MAX_MARGIN = Duration.ofSeconds(30);

    private final Transport transport;
    private final URI tokenEndpoint;
    private final String basicAuth;
    private final String scopes;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached cached;

    TokenCache(Transport transport, URI tokenEndpoint, String clientId, String clientSecret, String scopes, Clock clock) {
        this.transport = transport;
        this.tokenEndpoint = tokenEndpoint;
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.scopes = scopes;
        this.clock = clock;
    }

    /** @return a token that is not about to expire, asking the token endpoint when there is none */
    String current() {
        Cached c = cached;
        if (c != null && c.usableAt(clock.instant())) {
            return c.token;
        }
        lock.lock();
        try {
            c = cached;
            if (c == null || !c.usableAt(clock.instant())) {
                c = fetch();
                cached = c;
            }
            return c.token;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets {@code token} after the API refused it (revoked, or signed with a retired key).
     * Only that token: another thread may already have replaced it with a good one.
     */
    void invalidate(String token) {
        lock.lock();
        try {
            if (cached != null && cached.token.equals(token)) {
                cached = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private Cached fetch() {
        String body = "grant_type=client_credentials" + (scopes == null || scopes.isBlank() ? "" : "&scope=" + form(scopes));
        Instant asked = clock.instant();
        HttpResponse<byte[]> r = transport.send(HttpRequest.newBuilder(tokenEndpoint)
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200) {
            throw Problems.fromTokenEndpoint(r, transport.json());
        }
        TokenResponse t;
        try {
            t = transport.json().readValue(r.body(), TokenResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException("The token endpoint's answer could not be read", e);
        }
        if (t.accessToken() == null || t.accessToken().isBlank()) {
            throw new AuthenticationException(r.statusCode(), "about:blank", "No access token",
                    "The token endpoint answered without an access_token.", java.util.Map.of(), null);
        }
        // Counted from when we asked, so time spent in transit only makes us replace it earlier.
        Instant renewAt = null;
        if (t.expiresIn() != null && t.expiresIn() > 0) {
            Duration lifetime = Duration.ofSeconds(t.expiresIn());
            Duration margin = lifetime.dividedBy(10).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(10) : MAX_MARGIN;
            renewAt = asked.plus(lifetime).minus(margin);
        }
        return new Cached(t.accessToken(), renewAt);
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** @param renewAt when to ask for a new one; null when the endpoint gave no lifetime (kept until refused) */
    private record Cached(String token, Instant renewAt) {
        boolean usableAt(Instant now) {
            return renewAt == null || now.isBefore(renewAt);
        }
    }

    /** RFC 6749 §5.1, tolerant of extra members. */
    record TokenResponse(@JsonProperty("access_token") String accessToken,
                                 @JsonProperty("expires_in") Long expiresIn) {
    }

    /** Sending and JSON, shared with the client. */
    interface Transport {
        HttpResponse<byte[]> send(HttpRequest.Builder request);

        ObjectMapper json();
    }
}
