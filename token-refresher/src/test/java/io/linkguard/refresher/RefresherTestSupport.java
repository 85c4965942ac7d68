package io.linkguard.refresher;

import com.sun.net.httpserver.HttpServer;
import io.linkguard.mock.MockProvider;
import io.linkguard.mock.MockProviderConfig;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.refresh.RefreshService;
import io.linkguard.testsupport.PostgresTestProperties;
import io.linkguard.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared set-up: a fresh database, the in-process mock provider (real OAuth over HTTP, with
 * counters), a trusted test issuer, and a stand-in for auth-server's token endpoint and the
 * internal endpoints of connector-health and auth-server that records what it receives.
 */
abstract class RefresherTestSupport extends PostgresTestProperties {

    static final String TOKEN_KEY = key();

    final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");
    final MockProvider mock = MockProvider.start(MockProviderConfig.builder().port(0).accessTokenLifetime(Duration.ofHours(1)).build());
    final List<String> received = new CopyOnWriteArrayList<>();
    /** user ids (as text) whose automation the stand-in connector-health reports as paused */
    final java.util.Set<String> pausedUsers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicInteger batchPauseQuestions = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger singlePauseQuestions = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger providerQuestions = new java.util.concurrent.atomic.AtomicInteger();
    /** the query strings of token-refresher's questions to auth-server about provider clients */
    final List<String> providerQueries = new CopyOnWriteArrayList<>();
    /** connections of the per-tenant stand-in provider that lack the values its URLs need */
    final java.util.Set<String> badTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** the traceparent each recorded request carried, with its body */
    final List<String> receivedTraceparents = new CopyOnWriteArrayList<>();
    /** status codes the stand-in answers for given paths instead of 200 */
    final Map<String, Integer> answering = new java.util.concurrent.ConcurrentHashMap<>();
    final HttpServer services = services();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // one client for every grant: a client per call costs a selector thread and a fresh connection each time
    final HttpClient noRedirect = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    final UUID orgA = UUID.randomUUID();

    static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private HttpServer services() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String path = ex.getRequestURI().getPath();
                byte[] out;
                if (path.equals("/oauth/token")) {
                    out = ("{\"access_token\":\"" + issuer.internalToken("linkguard-token-refresher")
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":600}").getBytes(StandardCharsets.UTF_8);
                } else if (path.startsWith("/internal/providers/")) {
                    // auth-server's one provider definition: the mock, with the deployment's client
                    providerQuestions.incrementAndGet();
                    String query = ex.getRequestURI().getQuery();
                    providerQueries.add(query);
                    // pinned to a client: only the deployment's client is configured here
                    boolean known = path.equals("/internal/providers/mock/token-client") && (!query.contains("clientId=")
                            || query.contains("clientId=" + MockProviderConfig.DEFAULT_CLIENT_ID));
                    if (path.equals("/internal/providers/tenantmock/token-client")) {
                        // a per-tenant provider: URLs per connection, and 400 for a connection without its values
                        String profile = query.replaceAll(".*authProfileId=([0-9a-f-]+).*", "$1");
                        boolean usable = !badTenants.contains(profile);
                        byte[] tenant = (usable ? "{\"providerKey\":\"tenantmock\",\"tokenUrl\":\"" + mock.tokenEndpoint()
                                + "?tenant=" + profile + "\",\"clientId\":\"" + MockProviderConfig.DEFAULT_CLIENT_ID
                                + "\",\"clientSecret\":\"" + MockProviderConfig.DEFAULT_CLIENT_SECRET
                                + "\",\"clientAuth\":\"basic\",\"refreshRotates\":true,\"source\":\"deployment\",\"perTenant\":true}"
                                : "{\"status\":400}").getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.sendResponseHeaders(usable ? 200 : 400, tenant.length);
                        ex.getResponseBody().write(tenant);
                        ex.close();
                        return;
                    }
                    byte[] answer = known
                            ? ("{\"providerKey\":\"mock\",\"tokenUrl\":\"" + mock.tokenEndpoint() + "\",\"clientId\":\""
                                    + MockProviderConfig.DEFAULT_CLIENT_ID + "\",\"clientSecret\":\"" + MockProviderConfig.DEFAULT_CLIENT_SECRET
                                    + "\",\"clientAuth\":\"basic\",\"refreshRotates\":true,\"source\":\"deployment\",\"revokeUrl\":\""
                                    + mock.revocationEndpoint() + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)
                            : "{\"status\":404}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(known ? 200 : 404, answer.length);
                    ex.getResponseBody().write(answer);
                    ex.close();
                    return;
                } else if (path.endsWith("/automation-state")) {
                    singlePauseQuestions.incrementAndGet();
                    boolean paused = pausedUsers.stream().anyMatch(path::contains);
                    out = ("{\"effectivePaused\":" + paused + "}").getBytes(StandardCharsets.UTF_8);
                } else if (path.equals("/internal/automation-states")) {
                    batchPauseQuestions.incrementAndGet();
                    String paused = pausedUsers.stream().filter(body::contains).map(u -> "\"" + u + "\"")
                            .collect(java.util.stream.Collectors.joining(","));
                    // as connector-health does: an empty list is left out of the answer
                    out = (paused.isEmpty() ? "{\"operatorPaused\":false}" : "{\"operatorPaused\":false,\"paused\":[" + paused + "]}")
                            .getBytes(StandardCharsets.UTF_8);
                } else if (answering.containsKey(path)) {
                    // a path this test makes the stand-in refuse (404) or be unavailable for (503)
                    ex.sendResponseHeaders(answering.get(path), -1);
                    ex.close();
                    return;
                } else {
                    received.add(ex.getRequestMethod() + " " + path + " " + body);
                    String traceparent = ex.getRequestHeaders().getFirst("traceparent");
                    if (traceparent != null) {
                        receivedTraceparents.add(traceparent + " " + body);
                    }
                    out = "{}".getBytes(StandardCharsets.UTF_8);
                }
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(issuer.properties());
        String svc = "http://127.0.0.1:" + services.getAddress().getPort();
        p.put("linkguard.auth-url", svc);
        p.put("linkguard.health-url", svc);
        p.put("linkguard.public-url", "https://linkguard.example");
        p.put("linkguard.internal-client-secret", "test-secret");
        p.put("linkguard.refresher.keys", "k1:" + TOKEN_KEY);
        p.put("linkguard.refresher.active-key", "k1");
        p.put("linkguard.refresher.providers.mock.token-url", mock.tokenEndpoint());
        p.put("linkguard.refresher.providers.mock.client-id", MockProviderConfig.DEFAULT_CLIENT_ID);
        p.put("linkguard.refresher.providers.mock.client-secret", MockProviderConfig.DEFAULT_CLIENT_SECRET);
        p.put("linkguard.refresher.providers.mock.max-requests-per-second", "1000");
        p.put("linkguard.refresher.providers.mock.revoke-url", mock.revocationEndpoint());
        p.put("linkguard.refresher.revocation-interval", "200ms");
        p.put("linkguard.refresher.report-interval", "200ms");
        p.put("linkguard.refresher.background.enabled", "false");
        return p;
    }

    @AfterAll
    void stopFakes() {
        issuer.close();
        mock.close();
        services.stop(0);
    }

    /** A real grant at the mock provider: {accessToken, refreshToken}. */
    String[] grant(String user) {
        try {
            String redirect = "http://localhost/cb";
            HttpResponse<String> auth = noRedirect.send(HttpRequest.newBuilder(URI.create(mock.authorizationEndpoint()
                    + "?response_type=code&client_id=" + MockProviderConfig.DEFAULT_CLIENT_ID + "&redirect_uri=" + redirect
                    + "&state=s&user=" + user)).build(), HttpResponse.BodyHandlers.ofString());
            String location = auth.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(auth.body()));
            Matcher m = Pattern.compile("code=([^&]+)").matcher(location);
            if (!m.find()) {
                throw new IllegalStateException(location);
            }
            String code = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            String basic = Base64.getEncoder().encodeToString((MockProviderConfig.DEFAULT_CLIENT_ID + ":"
                    + MockProviderConfig.DEFAULT_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(mock.tokenEndpoint()))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&redirect_uri=" + redirect))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new String[] {field(token.body(), "access_token"), field(token.body(), "refresh_token")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    record Response(int status, String body) {
    }

    Response call(String base, String method, String path, String bearer, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stores a credential through the internal API, as auth-server's connect callback does. */
    UUID store(String base, String user, String expiresAt) {
        return store(base, user, UUID.randomUUID(), expiresAt);
    }

    /** The same, for a given Linkguard user ({@code userId}) with mock user {@code user}. */
    UUID store(String base, String user, UUID userId, String expiresAt) {
        UUID id = UUID.randomUUID();
        String[] g = grant(user);
        Response r = call(base, "PUT", "/internal/credentials/" + id, issuer.internalToken("linkguard-auth-server"),
                "{\"orgId\":\"" + orgA + "\",\"userId\":\"" + userId + "\",\"connectorKey\":\"mock\",\"providerKey\":\"mock\","
                        + "\"accessToken\":\"" + g[0] + "\",\"refreshToken\":\"" + g[1] + "\",\"tokenType\":\"Bearer\","
                        + "\"expiresAt\":\"" + expiresAt + "\",\"scopes\":[\"read\"]}");
        if (r.status() != 200) {
            throw new IllegalStateException("store answered " + r.status() + ": " + r.body());
        }
        // the token was obtained long ago and is close to its expiry (a token just obtained is served
        // as it is for a while, whatever the skew)
        sql("UPDATE refresher.credentials SET last_refreshed_at = now() - interval '1 hour' WHERE auth_profile_id = ?", id);
        return id;
    }

    /**
     * Seeds {@code n} credentials quickly. The first is stored through the internal API, so the
     * application itself encrypts and shapes a reference row; the others copy that row's columns in
     * one JDBC batch of {@code INSERT … SELECT} in one transaction, each with its own id, its own user and its own grant at the
     * mock provider (the mock counts refreshes per user), its tokens sealed by the application's cipher
     * (the profile id is the AES-GCM associated data, so no two rows can share a ciphertext) and its
     * next refresh time from the application's own rule.
     *
     * @return the mock user of each credential
     */
    List<String> seed(String base, TokenCipher cipher, RefreshService refresh, String prefix, int n, Instant expiresAt) {
        List<String> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add(prefix + "-" + i + "-" + UUID.randomUUID());
        }
        UUID reference = store(base, users.get(0), expiresAt.toString());
        List<String[]> grants = grants(users.subList(1, n));
        try (Connection c = DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO refresher.credentials (auth_profile_id, org_id, user_id, connector_key, provider_key, key_id,
                            access_token_ct, refresh_token_ct, token_type, expires_at, scopes, status, next_refresh_at,
                            last_refreshed_at)
                     SELECT ?, org_id, ?, connector_key, provider_key, ?, ?, ?, token_type, ?, scopes, status, ?, last_refreshed_at
                       FROM refresher.credentials WHERE auth_profile_id = ?""")) {
            c.setAutoCommit(false);
            for (String[] g : grants) {
                UUID id = UUID.randomUUID();
                ps.setObject(1, id);
                ps.setObject(2, UUID.randomUUID());
                ps.setString(3, cipher.activeKeyId());
                ps.setBytes(4, cipher.encrypt(id, g[0]));
                ps.setBytes(5, cipher.encrypt(id, g[1]));
                ps.setObject(6, expiresAt.atOffset(ZoneOffset.UTC));
                ps.setObject(7, refresh.nextRefreshAt(expiresAt, true).atOffset(ZoneOffset.UTC));
                ps.setObject(8, reference);
                ps.addBatch();
            }
            int inserted = Arrays.stream(ps.executeBatch()).sum();
            c.commit();
            if (inserted != grants.size()) {
                throw new IllegalStateException("seeded " + inserted + " of " + grants.size() + " credentials");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return users;
    }

    /** Real grants at the mock provider, a few at a time: {accessToken, refreshToken} per user, in order. */
    List<String[]> grants(List<String> users) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String[]>> futures = new ArrayList<>(users.size());
            for (String user : users) {
                futures.add(pool.submit(() -> grant(user)));
            }
            List<String[]> out = new ArrayList<>(users.size());
            for (Future<String[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    Object column(String sql, Object... params) {
        return withStatement(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        });
    }

    /** Runs a statement that must change exactly one row (test set-up). */
    void sql(String sql, Object... params) {
        int changed = withStatement(sql, params, PreparedStatement::executeUpdate);
        if (changed != 1) {
            throw new IllegalStateException(sql + " changed " + changed + " rows");
        }
    }

    /** @return how many rows the statement changed */
    int updateRows(String sql, Object... params) {
        return withStatement(sql, params, PreparedStatement::executeUpdate);
    }

    private interface StatementWork<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T withStatement(String sql, Object[] params, StatementWork<T> work) {
        try (Connection c = DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return work.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String worker() {
        return issuer.serviceToken("worker", orgA, "tokens:read");
    }
}
