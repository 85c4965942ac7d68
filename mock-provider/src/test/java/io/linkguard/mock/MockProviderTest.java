package io.linkguard.mock;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockProviderTest {

    static final String REDIRECT = "http://localhost:9999/connect/callback";
    static final String CLIENT = MockProviderConfig.DEFAULT_CLIENT_ID;
    static final String SECRET = MockProviderConfig.DEFAULT_CLIENT_SECRET;

    MockProvider mock;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        mock = MockProvider.start(MockProviderConfig.defaults());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    // ------------------------------------------------------------ authorize

    @Test
    void authorizeWhenValidThenRedirectsWithCodeAndState() throws Exception {
        HttpResponse<String> r = get(authorizeUrl("st-1", challenge("v".repeat(43)), "repo read", null));
        assertThat(r.statusCode()).isEqualTo(302);
        Map<String, String> q = query(r);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?");
        assertThat(q).containsEntry("state", "st-1").containsKey("code");
    }

    @Test
    void authorizeWhenUnknownClientThen400WithoutRedirect() throws Exception {
        HttpResponse<String> r = get(mock.baseUrl() + "/authorize?response_type=code&client_id=nope&redirect_uri="
                + Http.encode(REDIRECT));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void authorizeWhenPlainChallengeThenInvalidRequest() throws Exception {
        HttpResponse<String> r = get(mock.authorizationEndpoint() + "?response_type=code&client_id=" + CLIENT
                + "&redirect_uri=" + Http.encode(REDIRECT) + "&state=s&code_challenge=abc&code_challenge_method=plain");
        assertThat(query(r)).containsEntry("error", "invalid_request").containsEntry("state", "s");
    }

    @Test
    void authorizeWhenAccessDeniedControlThenRedirectsWithError() throws Exception {
        mock.failAuthorizations("access_denied");
        HttpResponse<String> r = get(authorizeUrl("s2", null, null, null));
        assertThat(query(r)).containsEntry("error", "access_denied").containsEntry("state", "s2").doesNotContainKey("code");
        mock.failAuthorizations(null);
        assertThat(query(get(authorizeUrl("s3", null, null, null)))).containsKey("code");
    }

    @Test
    void authorizeWhenConsentPageThenApproveAndDenyWork() throws Exception {
        try (MockProvider consent = MockProvider.start(MockProviderConfig.builder().consentPage(true).build())) {
            String url = consent.baseUrl() + "/authorize?response_type=code&client_id=" + CLIENT + "&redirect_uri="
                    + Http.encode(REDIRECT) + "&state=abc&login_hint=alice";
            HttpResponse<String> page = get(url);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<form", "alice", "Approve", "Deny");

            String fields = "response_type=code&client_id=" + CLIENT + "&redirect_uri=" + Http.encode(REDIRECT)
                    + "&state=abc&user=alice";
            HttpResponse<String> approved = postForm(consent.baseUrl() + "/authorize", fields + "&decision=approve", null);
            assertThat(query(approved)).containsKey("code").containsEntry("state", "abc");
            HttpResponse<String> denied = postForm(consent.baseUrl() + "/authorize", fields + "&decision=deny", null);
            assertThat(query(denied)).containsEntry("error", "access_denied");
        }
    }

    // ------------------------------------------------------------ token: authorization_code

    @Test
    void tokenWhenCodeAndVerifierThenIssuesTokens() throws Exception {
        Map<String, Object> t = connect("alice");
        assertThat(t).containsKeys("access_token", "refresh_token").containsEntry("token_type", "Bearer")
                .containsEntry("scope", "repo read");
        assertThat(((Number) t.get("expires_in")).longValue()).isBetween(3590L, 3600L);
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/userinfo"))
                .header("Authorization", "Bearer " + t.get("access_token")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me)).containsEntry("sub", "alice");
    }

    @Test
    void tokenWhenClientSecretPostThenAccepted() throws Exception {
        String verifier = "p".repeat(50);
        String code = code("bob", verifier);
        HttpResponse<String> r = postForm(mock.tokenEndpoint(), "grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + Http.encode(REDIRECT) + "&code_verifier=" + verifier
                + "&client_id=" + CLIENT + "&client_secret=" + SECRET, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void tokenWhenWrongVerifierThenInvalidGrant() throws Exception {
        String code = code("alice", "x".repeat(43));
        HttpResponse<String> r = redeem(code, "y".repeat(43));
        assertOAuthError(r, 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeUsedTwiceThenSecondIsInvalidGrant() throws Exception {
        String verifier = "z".repeat(43);
        String code = code("alice", verifier);
        assertThat(redeem(code, verifier).statusCode()).isEqualTo(200);
        assertOAuthError(redeem(code, verifier), 400, "invalid_grant");
    }

    @Test
    void tokenWhenWrongSecretThenInvalidClientWithChallenge() throws Exception {
        HttpResponse<String> r = postForm(mock.tokenEndpoint(), "grant_type=refresh_token&refresh_token=x",
                basic(CLIENT, "wrong"));
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void tokenWhenUnknownGrantTypeThenUnsupportedGrantType() throws Exception {
        assertOAuthError(postForm(mock.tokenEndpoint(), "grant_type=password", basic(CLIENT, SECRET)),
                400, "unsupported_grant_type");
    }

    // ------------------------------------------------------------ token: refresh

    @Test
    void refreshWhenRotatingThenOldRefreshTokenIsInvalidGrant() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        HttpResponse<String> first = refresh(rt);
        assertThat(first.statusCode()).isEqualTo(200);
        String rotated = (String) json(first).get("refresh_token");
        assertThat(rotated).isNotEqualTo(rt);
        assertOAuthError(refresh(rt), 400, "invalid_grant");
        assertThat(refresh(rotated).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshWhenRotationOffThenSameRefreshTokenKeepsWorking() throws Exception {
        mock.rotateRefreshTokens(false);
        String rt = (String) connect("alice").get("refresh_token");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = refresh(rt);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r)).containsEntry("refresh_token", rt);
        }
    }

    @Test
    void refreshWhenAccessTokenLifetimeChangedThenExpiresInFollows() throws Exception {
        mock.accessTokenLifetime(Duration.ofSeconds(30));
        String rt = (String) connect("alice").get("refresh_token");
        assertThat(((Number) json(refresh(rt)).get("expires_in")).longValue()).isBetween(1L, 30L);
    }

    @Test
    void refreshWhenUserRevokedThenInvalidGrantAndAccessTokenDead() throws Exception {
        Map<String, Object> alice = connect("alice");
        Map<String, Object> bob = connect("bob");
        assertThat(mock.revokeUser("alice")).isEqualTo(1);
        assertOAuthError(refresh((String) alice.get("refresh_token")), 400, "invalid_grant");
        assertThat(mock.isAccessTokenActive((String) alice.get("access_token"))).isFalse();
        assertThat(refresh((String) bob.get("refresh_token")).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshWhenRevokedThroughControlHttpThenInvalidGrant() throws Exception {
        String rt = (String) connect("carol").get("refresh_token");
        HttpResponse<String> r = control("POST", "/control/users/carol/revoke", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).containsEntry("revokedGrants", 1L);
        assertOAuthError(refresh(rt), 400, "invalid_grant");
    }

    @Test
    void revokeWhenRefreshTokenRevokedThenRefreshIsInvalidGrant() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        HttpResponse<String> r = postForm(mock.revocationEndpoint(), "token=" + rt + "&token_type_hint=refresh_token",
                basic(CLIENT, SECRET));
        assertThat(r.statusCode()).isEqualTo(200);
        assertOAuthError(refresh(rt), 400, "invalid_grant");
        assertThat(mock.counters().revocations()).isEqualTo(1);
    }

    @Test
    void refreshWhenFiftyConcurrentWithOneTokenThenExactlyOneWins() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        List<HttpResponse<String>> answers = concurrently(50, () -> refresh(rt));
        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus).containsEntry(200, 1L).containsEntry(400, 49L);
        assertThat(answers).filteredOn(a -> a.statusCode() == 400)
                .allSatisfy(a -> assertThat(json(a)).containsEntry("error", "invalid_grant"));
        assertThat(mock.refreshRequests("alice")).isEqualTo(50);
        assertThat(mock.counters().successfulRefreshes()).isEqualTo(1);
    }

    @Test
    void refreshWhenFiftyConcurrentUsersThenEveryoneRefreshesAndCountsPerUser() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tokens.add((String) connect("u" + i).get("refresh_token"));
        }
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (String t : tokens) {
            calls.add(() -> refresh(t));
        }
        List<HttpResponse<String>> answers = concurrently(calls);
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        MockCounters c = mock.counters();
        assertThat(c.refreshRequests()).isEqualTo(50);
        assertThat(c.refreshRequestsFor("u7")).isEqualTo(1);
        assertThat(c.tokenRequests("authorization_code")).isEqualTo(50);
        assertThat(c.tokenRequests("refresh_token")).isEqualTo(50);
    }

    // ------------------------------------------------------------ fault injection

    @Test
    void tokenWhenServerErrorInjectedTwiceThenTwoFailuresThenSuccess() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.injectFailure(Failure.serverError(), 2);
        assertOAuthError(refresh(rt), 500, "server_error");
        assertOAuthError(refresh(rt), 500, "server_error");
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
        assertThat(mock.refreshRequests("alice")).isEqualTo(3);
    }

    @Test
    void tokenWhenTooManyRequestsUntilClearedThen429WithRetryAfter() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.injectFailureUntilCleared(Failure.tooManyRequests(7));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = refresh(rt);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).contains("7");
        }
        mock.clearFailures();
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenSlowInjectedThenStillAnswers() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.injectFailure(Failure.slow(50), 1);
        mock.tokenLatency(Duration.ofMillis(10));
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
        assertThat(mock.tokenLatency()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void tokenWhenDropConnectionThenNoAnswerAndTokenUnchanged() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.injectFailure(Failure.dropConnection(), 1);
        assertThatThrownBy(() -> refresh(rt)).isInstanceOf(IOException.class);
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
        assertThat(mock.refreshRequests("alice")).isEqualTo(2);
    }

    @Test
    void tokenWhenRotateThenDropThenOldRefreshTokenIsInvalidGrant() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.injectFailure(Failure.rotateThenDrop(), 1);
        assertThatThrownBy(() -> refresh(rt)).isInstanceOf(IOException.class);
        assertOAuthError(refresh(rt), 400, "invalid_grant");
        assertThat(mock.counters().successfulRefreshes()).isEqualTo(1);
    }

    @Test
    void controlWhenFailureArmedOverHttpThenAppliesAndClears() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        assertThat(control("POST", "/control/failures", "{\"mode\":\"429\",\"retryAfterSeconds\":3,\"count\":1}")
                .statusCode()).isEqualTo(204);
        HttpResponse<String> r = refresh(rt);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("3");
        control("POST", "/control/failures", "{\"mode\":\"500\"}");
        assertThat(refresh(rt).statusCode()).isEqualTo(500);
        assertThat(control("DELETE", "/control/failures", null).statusCode()).isEqualTo(204);
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
    }

    @Test
    void controlWhenBadModeThen400() throws Exception {
        HttpResponse<String> r = control("POST", "/control/failures", "{\"mode\":\"explode\"}");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void controlWhenCountersReadAndResetThenReflectRequests() throws Exception {
        String rt = (String) connect("dave").get("refresh_token");
        refresh(rt);
        Map<String, Object> counters = json(control("GET", "/control/counters", null));
        assertThat(counters).containsEntry("refreshRequests", 1L);
        assertThat((Map<String, Object>) counters.get("refreshRequestsByUser")).containsEntry("dave", 1L);
        assertThat(control("POST", "/control/reset", null).statusCode()).isEqualTo(204);
        assertThat(mock.counters().refreshRequests()).isZero();
        assertOAuthError(refresh(rt), 400, "invalid_grant");
    }

    @Test
    void controlWhenSettingsChangedOverHttpThenApplied() throws Exception {
        HttpResponse<String> r = control("PUT", "/control/settings",
                "{\"accessTokenLifetimeSeconds\":5,\"rotateRefreshTokens\":false}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(mock.accessTokenLifetime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(mock.rotateRefreshTokens()).isFalse();
        assertThat(control("PUT", "/control/latency", "{\"millis\":1}").statusCode()).isEqualTo(204);
        assertThat(mock.tokenLatency()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void authorizeWhenScopesDeniedThenGrantIsNarrower() throws Exception {
        mock.denyScopes(List.of("repo"));
        assertThat(connect("alice")).containsEntry("scope", "read");
    }

    // ------------------------------------------------------------ provider quirks: each changes only what it names

    @Test
    void refreshWhenErrorsInOkBodyThenRefusalIs200WithError() throws Exception {
        mock.quirks(Set.of(Quirk.ERRORS_IN_OK_BODY));
        String rt = (String) connect("alice").get("refresh_token");
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
        HttpResponse<String> again = refresh(rt); // rotated away
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    void tokenWhenErrorsInOkBodyThenServerErrorKeepsItsStatus() throws Exception {
        mock.quirks(Set.of(Quirk.ERRORS_IN_OK_BODY));
        mock.injectFailure(Failure.serverError(), 1);
        assertOAuthError(refresh("whatever"), 500, "server_error");
    }

    @Test
    void tokenWhenOkFalseEnvelopeThenSuccessHasOkTrueAndRefusalsUseSlackCodes() throws Exception {
        mock.quirks(Set.of(Quirk.OK_FALSE_ENVELOPE));
        Map<String, Object> t = connect("alice");
        assertThat(t).containsEntry("ok", true).containsKey("access_token");
        String rt = (String) t.get("refresh_token");
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
        HttpResponse<String> reused = refresh(rt);
        assertThat(reused.statusCode()).isEqualTo(200);
        assertThat(json(reused)).containsEntry("ok", false).containsEntry("error", "invalid_refresh_token");
        HttpResponse<String> badCode = redeem("no-such-code", "v".repeat(43));
        assertThat(json(badCode)).containsEntry("ok", false).containsEntry("error", "invalid_code");
        HttpResponse<String> badClient = postForm(mock.tokenEndpoint(), "grant_type=refresh_token&refresh_token=x",
                basic(CLIENT, "wrong"));
        assertThat(badClient.statusCode()).isEqualTo(200);
        assertThat(json(badClient)).containsEntry("ok", false).containsEntry("error", "invalid_client_id");
    }

    @Test
    void tokenWhenNoExpiryThenNoExpiresInAndTokenStaysActive() throws Exception {
        mock.quirks(Set.of(Quirk.NO_EXPIRY));
        mock.accessTokenLifetime(java.time.Duration.ofSeconds(1));
        Map<String, Object> t = connect("alice");
        assertThat(t).doesNotContainKey("expires_in").containsKey("access_token");
        Thread.sleep(1100); // past the configured lifetime, which NO_EXPIRY overrides
        assertThat(mock.isAccessTokenActive((String) t.get("access_token"))).isTrue();
    }

    @Test
    void tokenWhenCommaScopesThenGrantedScopeIsCommaSeparated() throws Exception {
        mock.quirks(Set.of(Quirk.COMMA_SCOPES));
        assertThat(connect("alice")).containsEntry("scope", "repo,read");
    }

    @Test
    void tokenWhenBasicOnlyThenPostCredentialsAreInvalidClient() throws Exception {
        mock.quirks(Set.of(Quirk.CLIENT_AUTH_BASIC_ONLY));
        String rt = (String) connect("alice").get("refresh_token"); // connect() authenticates with Basic
        assertOAuthError(postForm(mock.tokenEndpoint(), "grant_type=refresh_token&refresh_token=" + rt
                + "&client_id=" + CLIENT + "&client_secret=" + SECRET, null), 401, "invalid_client");
        assertThat(refresh(rt).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenPostOnlyThenBasicIsInvalidClient() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.quirks(Set.of(Quirk.CLIENT_AUTH_POST_ONLY));
        assertOAuthError(refresh(rt), 401, "invalid_client");
        assertThat(postForm(mock.tokenEndpoint(), "grant_type=refresh_token&refresh_token=" + rt
                + "&client_id=" + CLIENT + "&client_secret=" + SECRET, null).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenJsonBodyRequiredThenFormIsInvalidRequestAndJsonWorks() throws Exception {
        String rt = (String) connect("alice").get("refresh_token");
        mock.quirks(Set.of(Quirk.JSON_TOKEN_BODY));
        assertOAuthError(refresh(rt), 400, "invalid_request");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.tokenEndpoint()))
                .header("Content-Type", "application/json").header("Authorization", basic(CLIENT, SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + rt + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).containsKey("access_token");
    }

    @Test
    void quirksWhenSetOverHttpThenAppliedAndResetClearsThem() throws Exception {
        HttpResponse<String> r = control("PUT", "/control/settings", "{\"quirks\":[\"no-expiry\",\"comma-scopes\"]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("quirks")).asList().containsExactly("comma-scopes", "no-expiry");
        assertThat(mock.quirks()).containsExactlyInAnyOrder(Quirk.NO_EXPIRY, Quirk.COMMA_SCOPES);
        assertThat(control("PUT", "/control/settings", "{\"quirks\":[\"nonsense\"]}").statusCode()).isEqualTo(400);
        mock.reset();
        assertThat(mock.quirks()).isEmpty();
        assertThat(connect("alice")).containsKey("expires_in");
    }

    @Test
    void quirksWhenBasicOnlyAndPostOnlyTogetherThenRejected() {
        assertThatThrownBy(() -> mock.quirks(Set.of(Quirk.CLIENT_AUTH_BASIC_ONLY, Quirk.CLIENT_AUTH_POST_ONLY)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockProviderConfig.builder().quirks(Quirk.CLIENT_AUTH_BASIC_ONLY, Quirk.CLIENT_AUTH_POST_ONLY).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configWhenQuirksGivenThenOnFromStart() throws Exception {
        try (MockProvider m = MockProvider.start(MockProviderConfig.builder().quirks(Quirk.NO_EXPIRY).build())) {
            assertThat(m.quirks()).containsExactly(Quirk.NO_EXPIRY);
        }
    }

    // ------------------------------------------------------------ helpers

    Map<String, Object> connect(String user) throws Exception {
        String verifier = "verifier-" + "a".repeat(40) + user;
        HttpResponse<String> r = redeem(code(user, verifier), verifier);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    String code(String user, String verifier) throws Exception {
        HttpResponse<String> r = get(authorizeUrl("s", challenge(verifier), "repo read", user));
        return query(r).get("code");
    }

    HttpResponse<String> redeem(String code, String verifier) throws Exception {
        return postForm(mock.tokenEndpoint(), "grant_type=authorization_code&code=" + Http.encode(code)
                + "&redirect_uri=" + Http.encode(REDIRECT) + "&code_verifier=" + verifier, basic(CLIENT, SECRET));
    }

    HttpResponse<String> refresh(String rt) throws IOException, InterruptedException {
        return postForm(mock.tokenEndpoint(), "grant_type=refresh_token&refresh_token=" + Http.encode(rt), basic(CLIENT, SECRET));
    }

    String authorizeUrl(String state, String challenge, String scope, String user) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", CLIENT);
        p.put("redirect_uri", REDIRECT);
        p.put("state", state);
        p.put("scope", scope);
        p.put("code_challenge", challenge);
        p.put("code_challenge_method", challenge == null ? null : "S256");
        p.put("login_hint", user);
        return Http.appendQuery(mock.authorizationEndpoint(), p);
    }

    static String challenge(String verifier) {
        return ProviderState.s256(verifier);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(String url, String form, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> control(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> query(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.statusCode()));
        return Http.parseForm(URI.create(location).getRawQuery());
    }

    static Map<String, Object> json(HttpResponse<String> r) {
        try {
            return JSONObjectUtils.parse(r.body());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static void assertOAuthError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(r)).containsEntry("error", error).containsKey("error_description");
    }

    <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        List<Callable<T>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call);
        }
        return concurrently(calls);
    }

    <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
