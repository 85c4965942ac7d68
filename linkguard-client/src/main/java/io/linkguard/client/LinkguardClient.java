package io.linkguard.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A worker's client for Linkguard, talking to the gateway:
 * <pre>{@code
 * LinkguardClient linkguard = LinkguardClient.builder()
 *         .baseUrl(URI.create("https://linkguard.example.com"))
 *         .clientCredentials(clientId, clientSecret)
 *         .scopes("health:report tokens:read")
 *         .build();
 * Connection c = linkguard.findConnection(userId, "github").orElseThrow();
 * FreshToken token = linkguard.freshToken(c.id());
 * // … poll the provider with token.accessToken() …
 * linkguard.report(Report.success(userId, "github"));
 * }</pre>
 *
 * <p>The worker's own access token is obtained with the client_credentials grant and reused until
 * shortly before it expires; when the API answers 401 anyway (the token was revoked, or its signing
 * key retired), the client drops it, obtains a new one and sends the request once more.
 *
 * <p>Errors: Linkguard's problem+json answers become {@link LinkguardException} or one of its
 * subclasses ({@link NeedsReauthException}, {@link NotFoundException}, {@link ForbiddenException},
 * {@link UnavailableException}, {@link AuthenticationException}); a request that does not get an
 * answer at all throws {@link UncheckedIOException}. Nothing is retried except that one 401.
 *
 * <p>Thread-safe: build one per process and share it.
 */
public final class LinkguardClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final String base;
    private final Duration requestTimeout;
    private final TokenCache tokens;

    private LinkguardClient(Builder b) {
        this.http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER) // never carry a bearer token elsewhere
                .build();
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer servers may add fields
        String url = b.baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.requestTimeout = b.requestTimeout;
        TokenCache.Transport transport = new TokenCache.Transport() {
            @Override
            public HttpResponse<byte[]> send(HttpRequest.Builder request) {
                return LinkguardClient.this.send(request);
            }

            @Override
            public ObjectMapper json() {
                return json;
            }
        };
        this.tokens = new TokenCache(transport, URI.create(base + "/oauth/token"), b.clientId, b.clientSecret, b.scopes, b.clock);
    }

    /** @return a builder; {@code baseUrl} and {@code clientCredentials} are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider token for a connection, refreshed first by Linkguard when it is about to expire
     * ({@code POST /api/connections/{id}/access-token}, scope {@code tokens:read}).
     *
     * @param connectionId the connection's id ({@link Connection#id()})
     * @return the token
     * @throws NeedsReauthException the provider no longer accepts the connection: the user must reconnect
     * @throws NotFoundException    no such connection in the worker's org
     * @throws UnavailableException the provider cannot refresh it right now and the stored token has run out
     */
    public FreshToken freshToken(UUID connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        return call("POST", "/api/connections/" + connectionId + "/access-token", null,
                json.constructType(FreshToken.class));
    }

    /**
     * A user's connections ({@code GET /api/connections?userId=&connector=}, scope {@code tokens:read}).
     * A user of another org simply has none.
     *
     * @param userId    the user
     * @param connector a connector key, or null for all of the user's connections
     * @return the connections, ordered by connector
     */
    public List<Connection> findConnections(UUID userId, String connector) {
        Objects.requireNonNull(userId, "userId");
        String query = "?userId=" + userId + (connector == null ? "" : "&connector=" + URLEncoder.encode(connector, StandardCharsets.UTF_8));
        ConnectionPage page = call("GET", "/api/connections" + query, null, json.constructType(ConnectionPage.class));
        return page.connections() == null ? List.of() : List.copyOf(page.connections());
    }

    /**
     * The user's connection for a connector. Should the user have several for it, one Linkguard can
     * still hand out tokens for is preferred.
     *
     * @param userId    the user
     * @param connector the connector key, e.g. {@code github}
     * @return the connection, or empty when the user has none for this connector
     */
    public Optional<Connection> findConnection(UUID userId, String connector) {
        Objects.requireNonNull(connector, "connector");
        return findConnections(userId, connector).stream()
                .min(Comparator.comparing((Connection c) -> !c.usable()));
    }

    /**
     * Reports one poll's outcome ({@code POST /api/health/reports}, scope {@code health:report}).
     *
     * @param report the outcome
     * @return what Linkguard did with it (one item)
     */
    public ReportResult report(Report report) {
        Objects.requireNonNull(report, "report");
        return call("POST", "/api/health/reports", report, json.constructType(ReportResult.class));
    }

    /**
     * Reports several outcomes in one request; they are applied in order.
     *
     * @param reports the outcomes (at least one)
     * @return what Linkguard did with each, in the same order
     */
    public ReportResult reportBatch(List<Report> reports) {
        if (reports == null || reports.isEmpty()) {
            throw new IllegalArgumentException("reports: at least one");
        }
        return call("POST", "/api/health/reports", List.copyOf(reports), json.constructType(ReportResult.class));
    }

    /**
     * Whether a worker may act for the user now ({@code GET /api/users/{id}/automation-state}).
     *
     * @param userId the user
     * @return the user's and the operator's pause switches
     */
    public AutomationState automationState(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        return call("GET", "/api/users/" + userId + "/automation-state", null, json.constructType(AutomationState.class));
    }

    /** One API call with the cached token; on a 401, once more with a new one. */
    private <T> T call(String method, String path, Object body, JavaType answer) {
        byte[] payload = null;
        if (body != null) {
            try {
                payload = json.writeValueAsBytes(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            String token = tokens.current();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(payload));
            if (payload != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> r = send(request);
            if (r.statusCode() == 401 && attempt == 1) {
                tokens.invalidate(token);
                continue;
            }
            if (r.statusCode() / 100 != 2) {
                throw Problems.from(r, json);
            }
            try {
                return json.readValue(r.body(), answer);
            } catch (IOException e) {
                throw new UncheckedIOException("The answer of " + method + " " + path + " could not be read", e);
            }
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(requestTimeout).header("User-Agent", "linkguard-client").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for Linkguard"));
        }
    }

    /** The answer of {@code GET /api/connections}. */
    record ConnectionPage(List<Connection> connections) {
    }

    /** Settings of a {@link LinkguardClient}; not thread-safe, build once. */
    public static final class Builder {

        private URI baseUrl;
        private String clientId;
        private String clientSecret;
        private String scopes = "health:report tokens:read";
        private Duration requestTimeout = Duration.ofSeconds(30);
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param gateway Linkguard's public URL (the gateway), e.g. {@code https://linkguard.example.com}
         * @return this builder
         */
        public Builder baseUrl(URI gateway) {
            this.baseUrl = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        /**
         * @param id     the worker service account's client id
         * @param secret its secret
         * @return this builder
         */
        public Builder clientCredentials(String id, String secret) {
            this.clientId = Objects.requireNonNull(id, "id");
            this.clientSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * @param spaceSeparated the scopes to ask for; default {@code health:report tokens:read}
         * @return this builder
         */
        public Builder scopes(String spaceSeparated) {
            this.scopes = spaceSeparated;
            return this;
        }

        /**
         * @param timeout how long one request may take before it fails; default 30 s (a fresh token
         *                may wait for a provider's refresh)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param client the JDK HTTP client to send with (proxy, TLS settings…); default: HTTP/1.1,
         *               10 s connect timeout, no redirects followed
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** For tests: the clock that decides when the cached token is due. */
        Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @return the client */
        public LinkguardClient build() {
            if (baseUrl == null || clientId == null) {
                throw new IllegalStateException("baseUrl and clientCredentials are required");
            }
            String scheme = baseUrl.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL");
            }
            return new LinkguardClient(this);
        }
    }
}
