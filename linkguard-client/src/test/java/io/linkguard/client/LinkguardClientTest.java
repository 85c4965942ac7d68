package io.linkguard.client;

import io.linkguard.client.StubGateway.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkguardClientTest {

    static final UUID USER = UUID.fromString("3f1c2a52-5d7e-4a57-9b52-0d6f1b7c9e01");
    static final UUID CONNECTION = UUID.fromString("8a0e4c6b-2f3d-4d6e-8f1a-9b2c3d4e5f60");
    static final String FRESH = "{\"accessToken\":\"prov-123\",\"tokenType\":\"Bearer\","
            + "\"expiresAt\":\"2030-01-01T00:00:00Z\",\"scopes\":[\"read\",\"write\"]}";

    StubGateway gw;
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        gw = new StubGateway();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    LinkguardClient client() {
        return LinkguardClient.builder().baseUrl(URI.create(gw.url() + "/")).clientCredentials("worker:1", "s3cret&x")
                .scopes("health:report tokens:read").clock(clock).build();
    }

    void freshTokenAnswers() {
        gw.on("/api/connections/" + CONNECTION + "/access-token", r -> Answer.json(200, FRESH));
    }

    @Test
    void freshTokenWhenCalledTwiceThenOneClientCredentialsRequestWithBasicAuthAndScope() {
        freshTokenAnswers();
        LinkguardClient client = client();

        FreshToken first = client.freshToken(CONNECTION);
        client.freshToken(CONNECTION);

        assertThat(first).isEqualTo(new FreshToken("prov-123", "Bearer", Instant.parse("2030-01-01T00:00:00Z"),
                List.of("read", "write")));
        assertThat(first.toString()).doesNotContain("prov-123");
        List<StubGateway.Seen> tokenRequests = gw.to("/oauth/token");
        assertThat(tokenRequests).hasSize(1);
        StubGateway.Seen t = tokenRequests.get(0);
        assertThat(t.method()).isEqualTo("POST");
        assertThat(t.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        // RFC 6749 §2.3.1: form-encoded before joining, so a ':' in the id survives
        assertThat(new String(Base64.getDecoder().decode(t.header("Authorization").substring("Basic ".length())),
                StandardCharsets.UTF_8)).isEqualTo("worker%3A1:s3cret%26x");
        assertThat(form(t.body())).isEqualTo(Map.of("grant_type", "client_credentials", "scope", "health:report tokens:read"));
        assertThat(gw.to("/api/connections/" + CONNECTION + "/access-token"))
                .extracting(s -> s.method() + " " + s.header("Authorization")).containsExactly("POST Bearer t1", "POST Bearer t1");
    }

    @Test
    void callWhenCachedTokenIsAboutToExpireThenANewOneIsObtainedFirst() {
        freshTokenAnswers();
        LinkguardClient client = client();
        client.freshToken(CONNECTION);

        clock.advance(Duration.ofSeconds(3600 - 31)); // still more than the 30 s margin left
        client.freshToken(CONNECTION);
        clock.advance(Duration.ofSeconds(2));           // inside the margin
        client.freshToken(CONNECTION);

        assertThat(gw.to("/oauth/token")).hasSize(2);
        assertThat(gw.to("/api/connections/" + CONNECTION + "/access-token"))
                .extracting(s -> s.header("Authorization")).containsExactly("Bearer t1", "Bearer t1", "Bearer t2");
    }

    @Test
    void callWhenApiAnswers401ThenTokenIsDroppedAndTheCallRetriedOnceWithANewToken() {
        gw.on("/api/users/" + USER + "/automation-state", r -> "Bearer t1".equals(r.header("Authorization"))
                ? Answer.problem(401, "{\"type\":\"https://linkguard.dev/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401}")
                : Answer.json(200, "{\"operatorPaused\":false,\"operatorReason\":null,\"userPaused\":true,"
                + "\"pausedAt\":\"2029-12-31T23:00:00Z\",\"pausedReason\":\"holiday\",\"effectivePaused\":true,\"pausedBy\":\"user\"}"));

        AutomationState state = client().automationState(USER);

        assertThat(state).isEqualTo(new AutomationState(false, null, true, Instant.parse("2029-12-31T23:00:00Z"), "holiday",
                true, "user"));
        assertThat(gw.to("/oauth/token")).hasSize(2);
        assertThat(gw.to("/api/users/" + USER + "/automation-state")).extracting(s -> s.header("Authorization"))
                .containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void callWhenApiAnswers401AgainAfterTheRetryThenAuthenticationException() {
        gw.on("/api/users/" + USER + "/automation-state", r -> Answer.problem(401,
                "{\"type\":\"https://linkguard.dev/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Token revoked.\"}"));
        LinkguardClient client = client();

        assertThatThrownBy(() -> client.automationState(USER)).isInstanceOfSatisfying(AuthenticationException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.slug()).isEqualTo("unauthorized");
            assertThat(e.detail()).isEqualTo("Token revoked.");
            assertThat(e.oauthError()).isNull();
        });
        assertThat(gw.to("/api/users/" + USER + "/automation-state")).hasSize(2);
        assertThat(gw.to("/oauth/token")).hasSize(2);
    }

    @Test
    void callWhenTokenEndpointRefusesTheClientThenAuthenticationExceptionAndNoApiCall() {
        gw.on("/oauth/token", r -> new Answer(401, "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}",
                Map.of("WWW-Authenticate", "Basic realm=\"linkguard\"")));
        LinkguardClient client = client();

        assertThatThrownBy(() -> client.freshToken(CONNECTION)).isInstanceOfSatisfying(AuthenticationException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.oauthError()).isEqualTo("invalid_client");
            assertThat(e.detail()).isEqualTo("Client authentication failed.");
        });
        assertThat(gw.seen).extracting(StubGateway.Seen::path).containsExactly("/oauth/token");
    }

    @Test
    void callWhenTokenEndpointRefusesAScopeThenAuthenticationExceptionWithTheCode() {
        gw.on("/oauth/token", r -> Answer.json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"Scope not allowed.\"}"));

        assertThatThrownBy(() -> client().report(Report.success(USER, "github")))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.oauthError()).isEqualTo("invalid_scope");
                });
    }

    @Test
    void freshTokenWhenNeedsReauthThenNeedsReauthExceptionWithConnectorAndReconnectUrl() {
        gw.on("/api/connections/" + CONNECTION + "/access-token", r -> Answer.problem(409,
                "{\"type\":\"https://linkguard.dev/problems/needs-reauth\",\"title\":\"Reconnect needed\",\"status\":409,"
                        + "\"detail\":\"The user must reconnect it.\",\"instance\":\"/api/connections/x/access-token\","
                        + "\"connector\":\"github\",\"reconnectUrl\":\"https://lg.example/reconnect/github\"}"));

        assertThatThrownBy(() -> client().freshToken(CONNECTION)).isInstanceOfSatisfying(NeedsReauthException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.type()).isEqualTo("https://linkguard.dev/problems/needs-reauth");
            assertThat(e.title()).isEqualTo("Reconnect needed");
            assertThat(e.detail()).isEqualTo("The user must reconnect it.");
            assertThat(e.connector()).isEqualTo("github");
            assertThat(e.reconnectUrl()).isEqualTo(URI.create("https://lg.example/reconnect/github"));
            assertThat(e.extensions()).containsOnlyKeys("connector", "reconnectUrl");
        });
    }

    @Test
    void callWhenOther409ThenPlainLinkguardException() {
        gw.on("/api/connections/" + CONNECTION + "/access-token", r -> Answer.problem(409,
                "{\"type\":\"https://linkguard.dev/problems/conflict\",\"title\":\"Conflict\",\"status\":409}"));

        assertThatThrownBy(() -> client().freshToken(CONNECTION)).isExactlyInstanceOf(LinkguardException.class);
    }

    @Test
    void freshTokenWhenUnknownConnectionThenNotFoundException() {
        gw.on("/api/connections/" + CONNECTION + "/access-token", r -> Answer.problem(404,
                "{\"type\":\"https://linkguard.dev/problems/not-found\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"No such connection.\"}"));

        assertThatThrownBy(() -> client().freshToken(CONNECTION)).isInstanceOfSatisfying(NotFoundException.class, e -> {
            assertThat(e.slug()).isEqualTo("not-found");
            assertThat(e.detail()).isEqualTo("No such connection.");
        });
    }

    @Test
    void reportWhenScopeMissingThenForbiddenException() {
        gw.on("/api/health/reports", r -> Answer.problem(403,
                "{\"type\":\"https://linkguard.dev/problems/insufficient-scope\",\"title\":\"Forbidden\",\"status\":403}"));

        assertThatThrownBy(() -> client().report(Report.success(USER, "github")))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(gw.to("/oauth/token")).as("a 403 is not retried with a new token").hasSize(1);
    }

    @Test
    void freshTokenWhenProviderUnavailableThenUnavailableExceptionWithRetryAfterFromTheProblem() {
        gw.on("/api/connections/" + CONNECTION + "/access-token", r -> Answer.problem(503,
                "{\"type\":\"https://linkguard.dev/problems/provider-unavailable\",\"title\":\"Service Unavailable\","
                        + "\"status\":503,\"retryAfterSeconds\":7}"));

        assertThatThrownBy(() -> client().freshToken(CONNECTION)).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.retryAfterSeconds()).hasValue(7);
            assertThat(e.slug()).isEqualTo("provider-unavailable");
        });
    }

    @Test
    void callWhen503WithoutProblemBodyThenUnavailableExceptionWithRetryAfterHeader() {
        gw.on("/api/health/reports", r -> new Answer(503, "text/html", "<h1>busy</h1>", Map.of("Retry-After", "12")));

        assertThatThrownBy(() -> client().report(Report.success(USER, "github"))).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.retryAfterSeconds()).hasValue(12);
            assertThat(e.type()).isEqualTo("about:blank");
            assertThat(e.title()).isEqualTo("Service Unavailable");
        });
    }

    @Test
    void reportWhenInvalidThenLinkguardExceptionWithTheProblemsDetail() {
        gw.on("/api/health/reports", r -> Answer.problem(400,
                "{\"type\":\"https://linkguard.dev/problems/bad-request\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"detail\":\"connector: must be a connector key like 'github'\"}"));

        assertThatThrownBy(() -> client().report(Report.success(USER, "Not A Key"))).isInstanceOfSatisfying(LinkguardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.detail()).isEqualTo("connector: must be a connector key like 'github'");
            assertThat(e.getMessage()).isEqualTo("400 Bad Request: connector: must be a connector key like 'github'");
        });
    }

    @Test
    void reportWhenSentThenOneObjectWithOnlyTheGivenFieldsAndTheResultIsRead() {
        gw.on("/api/health/reports", r -> Answer.json(200, "{\"results\":[{\"userId\":\"" + USER
                + "\",\"connector\":\"github\",\"applied\":true,\"status\":\"needs_reauth\",\"errorCode\":\"invalid_grant\"}]}"));

        ReportResult result = client().report(Report.failure(USER, "github", null)
                .withProviderResponse("{\"error\":\"invalid_grant\"}").withPermanent(true)
                .withObservedAt(Instant.parse("2029-12-31T23:59:00Z")));

        assertThat(result.results()).containsExactly(new ReportResult.Item(USER, "github", true, "needs_reauth", "invalid_grant"));
        StubGateway.Seen sent = gw.to("/api/health/reports").get(0);
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.body()).isEqualTo("{\"userId\":\"" + USER + "\",\"connector\":\"github\",\"outcome\":\"failure\","
                + "\"providerResponse\":\"{\\\"error\\\":\\\"invalid_grant\\\"}\",\"permanent\":true,"
                + "\"observedAt\":\"2029-12-31T23:59:00Z\"}");
    }

    @Test
    void reportBatchWhenSentThenAnArrayInOrder() {
        gw.on("/api/health/reports", r -> Answer.json(200, "{\"results\":[{\"userId\":\"" + USER
                + "\",\"connector\":\"a\",\"applied\":true,\"status\":\"connected\",\"errorCode\":null},"
                + "{\"userId\":\"" + USER + "\",\"connector\":\"b\",\"applied\":false,\"status\":\"connected\",\"errorCode\":\"rate_limited\"}]}"));

        ReportResult result = client().reportBatch(List.of(Report.success(USER, "a"), Report.failure(USER, "b", "rate_limited")));

        assertThat(result.results()).extracting(ReportResult.Item::connector, ReportResult.Item::applied)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("b", false));
        assertThat(gw.to("/api/health/reports").get(0).body()).isEqualTo("[{\"userId\":\"" + USER
                + "\",\"connector\":\"a\",\"outcome\":\"success\"},{\"userId\":\"" + USER
                + "\",\"connector\":\"b\",\"outcome\":\"failure\",\"errorCode\":\"rate_limited\"}]");
        assertThatThrownBy(() -> client().reportBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findConnectionsWhenAskedThenQueryCarriesUserAndConnectorAndIdsAreRead() {
        UUID needsReauth = UUID.fromString("00000000-0000-4000-8000-000000000001");
        gw.on("/api/connections", r -> Answer.json(200, "{\"connections\":["
                + "{\"authProfileId\":\"" + needsReauth + "\",\"userId\":\"" + USER + "\",\"connector\":\"my conn\",\"provider\":\"github\","
                + "\"status\":\"needs_reauth\",\"expiresAt\":null,\"futureField\":1},"
                + "{\"authProfileId\":\"" + CONNECTION + "\",\"userId\":\"" + USER + "\",\"connector\":\"my conn\",\"provider\":\"github\","
                + "\"status\":\"active\",\"expiresAt\":\"2030-01-01T01:00:00Z\"}]}"));
        LinkguardClient client = client();

        List<Connection> all = client.findConnections(USER, "my conn");
        Connection chosen = client.findConnection(USER, "my conn").orElseThrow();

        assertThat(all).extracting(Connection::id).containsExactly(needsReauth, CONNECTION);
        assertThat(chosen).isEqualTo(new Connection(CONNECTION, USER, "my conn", "github", "active",
                Instant.parse("2030-01-01T01:00:00Z")));
        assertThat(gw.to("/api/connections").get(0).query()).isEqualTo("userId=" + USER + "&connector=my+conn");
    }

    @Test
    void findConnectionWhenUserHasNoneThenEmpty() {
        gw.on("/api/connections", r -> Answer.json(200, "{\"connections\":[]}"));

        assertThat(client().findConnection(USER, "github")).isEmpty();
    }

    @Test
    void callsWhenManyThreadsFindNoTokenThenOneTokenRequestServesThemAll() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        gw.on("/oauth/token", r -> {
            release.await(10, TimeUnit.SECONDS);
            return Answer.json(200, "{\"access_token\":\"shared\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        });
        freshTokenAnswers();
        LinkguardClient client = client();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Thread> threads = new ArrayList<>();
        List<Future<FreshToken>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    return client.freshToken(CONNECTION);
                }));
            }
            // wait until one thread asks the token endpoint and the others queue behind it
            awaitTrue(() -> gw.to("/oauth/token").size() == 1 && threads.size() == n
                    && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() >= n - 1);
            release.countDown();
            for (Future<FreshToken> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).accessToken()).isEqualTo("prov-123");
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(gw.to("/oauth/token")).hasSize(1);
        assertThat(gw.to("/api/connections/" + CONNECTION + "/access-token")).hasSize(n)
                .allSatisfy(s -> assertThat(s.header("Authorization")).isEqualTo("Bearer shared"));
    }

    @Test
    void buildWhenBaseUrlOrCredentialsMissingThenRefused() {
        assertThatThrownBy(() -> LinkguardClient.builder().clientCredentials("a", "b").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkguardClient.builder().baseUrl(URI.create("ftp://x")).clientCredentials("a", "b").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return m;
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
