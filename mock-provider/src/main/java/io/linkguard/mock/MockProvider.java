package io.linkguard.mock;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running mock OAuth 2.0 provider (dev/test only). Start one per test class with
 * {@link #start(MockProviderConfig)}, point the code under test at {@link #baseUrl()}, and use the
 * control methods to revoke grants, inject faults and read counters. Every method is safe to
 * call from any thread while requests are in flight.
 *
 * <pre>{@code
 * try (MockProvider mock = MockProvider.start(MockProviderConfig.defaults())) {
 *     String authorize = mock.authorizationEndpoint();
 *     mock.injectFailure(Failure.serverError(), 2);
 *     assertThat(mock.counters().refreshRequestsFor("demo")).isEqualTo(3);
 * }
 * }</pre>
 */
public final class MockProvider implements AutoCloseable {

    static {
        // The JDK's HTTP server leaves Nagle on: an answer's body then waits for the client's delayed
        // ACK of its headers, ~40 ms per token response. A stand-in provider must not add latency of
        // its own (benchmarks inject it on purpose). Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ProviderState state;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private MockProvider(MockProviderConfig config) throws IOException {
        this.state = new ProviderState(config);
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/authorize", new AuthorizeHandler(state));
        TokenHandler token = new TokenHandler(state);
        server.createContext("/token", token);
        server.createContext("/revoke", token);
        server.createContext("/control/", new ControlHandler(this));
        server.createContext("/", new MiscHandler(this, state));
        server.start();
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        this.baseUrl = "http://" + host + ":" + server.getAddress().getPort();
    }

    /** Binds and starts the provider; with port 0 a free port is chosen. */
    public static MockProvider start(MockProviderConfig config) {
        try {
            return new MockProvider(config);
        } catch (IOException e) {
            throw new UncheckedIOException("mock provider could not bind " + config.host() + ":" + config.port(), e);
        }
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() { return baseUrl; }
    public int port() { return server.getAddress().getPort(); }
    public String authorizationEndpoint() { return baseUrl + "/authorize"; }
    public String tokenEndpoint() { return baseUrl + "/token"; }
    public String revocationEndpoint() { return baseUrl + "/revoke"; }
    public MockProviderConfig config() { return state.config(); }

    /** Stops at once; in-flight requests are cut. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- controls

    /** Revokes every grant of the user: their next refresh answers {@code invalid_grant}. Returns the number of grants. */
    public int revokeUser(String user) { return state.revokeUser(user); }

    /** The next {@code times} token requests fail this way; then the endpoint behaves again. */
    public void injectFailure(Failure failure, int times) { state.injectFailure(failure, times); }

    /** Every token request fails this way until {@link #clearFailures()}. */
    public void injectFailureUntilCleared(Failure failure) { state.injectFailureUntilCleared(failure); }

    public void clearFailures() { state.clearFailures(); }

    /** A delay added to every token request (0 to switch off). */
    public void tokenLatency(Duration latency) { state.tokenLatencyMillis(latency.toMillis()); }
    public Duration tokenLatency() { return Duration.ofMillis(state.tokenLatencyMillis()); }

    /**
     * Makes {@code /authorize} redirect back with this {@code error} (e.g. {@code access_denied}) until
     * called with null.
     */
    public void failAuthorizations(String error) { state.authorizeError(error); }

    /** Scopes the mock user declines: they are left out of later grants (to test partial grants). */
    public void denyScopes(Collection<String> scopes) { state.deniedScopes(scopes); }

    public void accessTokenLifetime(Duration lifetime) { state.accessTokenLifetime(lifetime); }
    public Duration accessTokenLifetime() { return state.accessTokenLifetime(); }
    public void rotateRefreshTokens(boolean rotate) { state.rotateRefreshTokens(rotate); }
    public boolean rotateRefreshTokens() { return state.rotateRefreshTokens(); }
    /** Replaces the provider quirks that are on (see {@link Quirk}); an empty set for plain RFC 6749. */
    public void quirks(java.util.Set<Quirk> quirks) {
        if (quirks.contains(Quirk.CLIENT_AUTH_BASIC_ONLY) && quirks.contains(Quirk.CLIENT_AUTH_POST_ONLY)) {
            throw new IllegalArgumentException("basic-only and post-only exclude each other");
        }
        state.quirks(quirks);
    }
    public java.util.Set<Quirk> quirks() { return state.quirks(); }

    /** Whether the access token is live (issued, not expired, grant not revoked). */
    public boolean isAccessTokenActive(String accessToken) { return state.introspect(accessToken) != null; }

    // ---------------------------------------------------------------- counters

    public MockCounters counters() { return state.counters(); }
    public long refreshRequests() { return state.counters().refreshRequests(); }
    public long refreshRequests(String user) { return state.counters().refreshRequestsFor(user); }
    public long tokenRequests(String grantType) { return state.counters().tokenRequests(grantType); }
    public void resetCounters() { state.resetCounters(); }

    /** Back to the state right after start: tokens, grants, faults, settings and counters. */
    public void reset() { state.reset(); }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mock-provider-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
