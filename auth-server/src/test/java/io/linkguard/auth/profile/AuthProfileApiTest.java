package io.linkguard.auth.profile;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class AuthProfileApiTest extends ProfileTestSupport {

    final StubService refresher = new StubService();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("linkguard.connect.refresher-url", refresher.url(),
                "linkguard.profiles.secret-keys", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "linkguard.connect.public-url", "https://linkguard.example",
                // a built-in entry is enough here; github needs no base-url
                "linkguard.providers.github.client-id", "gh-client",
                "linkguard.providers.github.client-secret", "gh-secret");
    }

    @AfterAll
    void stopStubs() {
        refresher.close();
    }

    // ------------------------------------------------------------ create

    @Test
    @SuppressWarnings("unchecked")
    void createWhenFirstThen201PendingWithConnectLink() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = create(alice, "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"My GitHub\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Map<String, Object> body = map(r);
        Map<String, Object> profile = member(body, "authProfile");
        assertThat(profile).containsEntry("status", "pending_auth").containsEntry("connectorKey", "github")
                .containsEntry("providerKey", "github").containsEntry("profileKind", "oauth_account")
                .containsEntry("displayName", "My GitHub").containsEntry("createdBy", alice.userId().toString());
        assertThat((List<Object>) profile.get("requestedScopes")).containsExactly("repo", "read:user");
        assertThat(body).containsEntry("reused", false);
        assertThat((String) body.get("connectUrl")).isEqualTo("https://linkguard.example/connect/" + body.get("connectToken"));
    }

    @Test
    void createWhenRepeatedWithoutSlugThenSameRowFreshTokenOneRow() throws IOException {
        Account alice = newOrg("member");
        String req = "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\"}";
        Map<String, Object> first = map(create(alice, req));
        HttpResponse<String> again = create(alice, req);
        assertThat(again.statusCode()).isEqualTo(200);
        Map<String, Object> second = map(again);
        assertThat(second).containsEntry("reused", true);
        assertThat(member(second, "authProfile").get("id")).isEqualTo(member(first, "authProfile").get("id"));
        assertThat(second.get("connectToken")).isNotEqualTo(first.get("connectToken"));
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
    }

    @Test
    void createWhenDifferentSlugWhilePendingThen409NamingExistingSlug() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> first = map(create(alice, "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\",\"slug\":\"work-github\"}"));
        HttpResponse<String> r = create(alice, "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\",\"slug\":\"home-github\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        Map<String, Object> problem = map(r);
        assertThat((String) problem.get("type")).endsWith("pending-auth-conflict");
        assertThat((String) problem.get("detail")).contains("work-github");
        assertThat(member(problem, "existing")).containsEntry("id", member(first, "authProfile").get("id"))
                .containsEntry("slug", "work-github");
        assertThat(r.body()).doesNotContainIgnoringCase("duplicate key").doesNotContain("auth_profiles_")
                .doesNotContain("23505");
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
    }

    @Test
    void createWhenSameExplicitSlugRepeatedThenReused() throws IOException {
        Account alice = newOrg("member");
        String req = "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\",\"slug\":\"gh\"}";
        assertThat(create(alice, req).statusCode()).isEqualTo(201);
        assertThat(create(alice, req).statusCode()).isEqualTo(200);
    }

    @Test
    void createWhenSlugTakenByAnotherUserThen409WithoutInternals() throws IOException {
        Account alice = newOrg("member");
        Account bob = newUser(alice.orgId(), "member");
        assertThat(create(alice, "{\"connectorKey\":\"github\",\"slug\":\"team-gh\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> r = create(bob, "{\"connectorKey\":\"github\",\"slug\":\"team-gh\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat((String) map(r).get("type")).endsWith("slug-taken");
        assertThat((String) map(r).get("detail")).contains("team-gh");
        assertThat(r.body()).doesNotContainIgnoringCase("duplicate key").doesNotContain("auth_profiles_");
    }

    @Test
    void createWhenTwoUsersOfOneOrgThenBothPending() throws IOException {
        Account alice = newOrg("member");
        Account bob = newUser(alice.orgId(), "member");
        String req = "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\"}";
        assertThat(create(alice, req).statusCode()).isEqualTo(201);
        assertThat(create(bob, req).statusCode()).isEqualTo(201);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE org_id = ? AND status = 'pending_auth'",
                alice.orgId())).isEqualTo(2);
    }

    @Test
    void createWhenTwentySimultaneousByOneUserThenExactlyOneRow() throws Exception {
        Account alice = newOrg("member");
        String req = "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitHub\"}";
        List<HttpResponse<String>> answers = concurrently(20, () -> create(alice, req));
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
        String id = (String) sqlString("SELECT id::text FROM auth.auth_profiles WHERE created_by = ?", alice.userId());
        long created = answers.stream().filter(a -> a.statusCode() == 201).count();
        assertThat(created).isEqualTo(1);
        for (HttpResponse<String> a : answers) {
            assertThat(a.statusCode()).as(a.body()).isIn(200, 201, 409);
            assertThat(a.body()).doesNotContainIgnoringCase("duplicate key");
            if (a.statusCode() != 409) {
                assertThat(member(map(a), "authProfile")).containsEntry("id", id);
            } else {
                assertThat((String) map(a).get("type")).endsWith("pending-auth-conflict");
            }
        }
    }

    @Test
    void createWhenMixedSlugsSimultaneouslyThenOneRowAndOnlyConflicts() throws Exception {
        Account alice = newOrg("member");
        List<HttpResponse<String>> answers = new ArrayList<>();
        List<java.util.concurrent.Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String req = "{\"connectorKey\":\"github\",\"slug\":\"gh-" + (i % 2) + "\"}";
            calls.add(() -> create(alice, req));
        }
        answers.addAll(concurrently(calls));
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).isIn(200, 201, 409);
            assertThat(a.body()).doesNotContainIgnoringCase("duplicate key").doesNotContain("auth_profiles_");
        });
    }

    @Test
    void createWhenUnknownProviderThen400Problem() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = create(alice, "{\"connectorKey\":\"nope\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void createWhenMockProviderNotConfiguredThen400() throws IOException {
        // the dev-only mock entry is absent unless linkguard.providers.mock.base-url is set
        Account alice = newOrg("member");
        assertThat(create(alice, "{\"connectorKey\":\"mock\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void createWhenMalformedBodyThen400Problem() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = create(alice, "{not json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        // our words, not the parser's (which quote the input and name its internals)
        assertThat(r.body()).contains("The request body is not valid JSON").doesNotContain("Unexpected character")
                .doesNotContain("Source:");
    }

    @Test
    void createWhenNoTokenThen401() {
        HttpResponse<String> r = send("POST", uri("/api/auth-profiles"), null, "{\"connectorKey\":\"github\"}");
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void createWhenScopeMissingThen403Problem() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = send("POST", uri("/api/auth-profiles"), token(alice, "connectors:read"),
                "{\"connectorKey\":\"github\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void createWhenOAuthAppByMemberThen403() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = create(alice,
                "{\"connectorKey\":\"github\",\"profileKind\":\"oauth_app\",\"clientId\":\"x\",\"clientSecret\":\"y\"}");
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void createWhenApiKeyThen201ActiveAndKeyStoredEncryptedNotEchoed() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> r = create(alice, "{\"connectorKey\":\"inhouse-api\",\"profileKind\":\"api_key\",\"apiKey\":\"sk-very-secret\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain("sk-very-secret");
        Map<String, Object> body = map(r);
        assertThat(member(body, "authProfile")).containsEntry("status", "active").containsEntry("profileKind", "api_key");
        assertThat(body.get("connectUrl")).isNull();
        assertThat(count("SELECT count(*) FROM auth.auth_profile_secrets WHERE position(convert_to('sk-very-secret', 'UTF8') in ciphertext) > 0"))
                .isZero();
        assertThat(count("SELECT count(*) FROM auth.auth_profile_secrets")).isPositive();
    }

    // ------------------------------------------------------------ list / get / delete

    @Test
    void listWhenMemberThenOwnAndSharedOnly() throws IOException {
        Account admin = newOrg("admin");
        Account alice = newUser(admin.orgId(), "member");
        Account bob = newUser(admin.orgId(), "member");
        String aliceId = id(create(alice, "{\"connectorKey\":\"github\"}"));
        String bobId = id(create(bob, "{\"connectorKey\":\"github\"}"));
        String sharedId = id(create(admin, "{\"connectorKey\":\"gitlab\",\"shared\":true}"));

        List<Map<String, Object>> forAlice = list(send("GET", uri("/api/auth-profiles"), token(alice), null));
        assertThat(forAlice).extracting(m -> m.get("id")).containsExactlyInAnyOrder(aliceId, sharedId);
        List<Map<String, Object>> forAdmin = list(send("GET", uri("/api/auth-profiles"), token(admin), null));
        assertThat(forAdmin).extracting(m -> m.get("id")).containsExactlyInAnyOrder(aliceId, bobId, sharedId);
    }

    @Test
    void getWhenAnotherUsersPrivateProfileInSameOrgThen403AndDeleteToo() throws IOException {
        Account alice = newOrg("member");
        Account bob = newUser(alice.orgId(), "member");
        String aliceId = id(create(alice, "{\"connectorKey\":\"github\"}"));
        HttpResponse<String> r = send("GET", uri("/api/auth-profiles/" + aliceId), token(bob), null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(send("DELETE", uri("/api/auth-profiles/" + aliceId), token(bob), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", uri("/api/auth-profiles/" + aliceId), token(alice), null).statusCode()).isEqualTo(200);
    }

    @Test
    void getWhenOtherOrgEvenAsAdminThen404Problem() throws IOException {
        Account alice = newOrg("member");
        Account otherAdmin = newOrg("admin");
        String aliceId = id(create(alice, "{\"connectorKey\":\"github\"}"));
        HttpResponse<String> r = send("GET", uri("/api/auth-profiles/" + aliceId), token(otherAdmin), null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(send("DELETE", uri("/api/auth-profiles/" + aliceId), token(otherAdmin), null).statusCode()).isEqualTo(404);
        assertThat(list(send("GET", uri("/api/auth-profiles"), token(otherAdmin), null))).isEmpty();
    }

    @Test
    void getWhenMalformedIdThen400ProblemInOurOwnWords() {
        Account alice = newOrg("member");
        HttpResponse<String> r = send("GET", uri("/api/auth-profiles/not-a-uuid"), token(alice), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(r.body()).contains("\"detail\":\"id: must be a UUID\"").doesNotContain("Failed to convert");
    }

    @Test
    void deleteWhenOwnThen204AndCredentialDeletedAtRefresher() throws IOException {
        Account alice = newOrg("member");
        String id = connected(alice);
        refresher.clear();
        assertThat(send("DELETE", uri("/api/auth-profiles/" + id), token(alice), null).statusCode()).isEqualTo(204);
        assertThat(refresher.received()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.path()).isEqualTo("/internal/credentials/" + id);
        });
        assertThat(send("GET", uri("/api/auth-profiles/" + id), token(alice), null).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteWhenRefresherDownThen503AndProfileKept() throws IOException {
        Account alice = newOrg("member");
        String id = connected(alice);
        refresher.answer(500, "{}");
        try {
            HttpResponse<String> r = send("DELETE", uri("/api/auth-profiles/" + id), token(alice), null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        } finally {
            refresher.answer(204, "");
        }
        assertThat(send("GET", uri("/api/auth-profiles/" + id), token(alice), null).statusCode()).isEqualTo(200);
    }

    @Test
    void deleteWhenNeverConnectedThen204WithoutAskingRefresher() throws IOException {
        Account alice = newOrg("member");
        String id = id(create(alice, "{\"connectorKey\":\"github\"}"));
        refresher.clear();
        refresher.answer(500, "{}");
        try {
            assertThat(send("DELETE", uri("/api/auth-profiles/" + id), token(alice), null).statusCode()).isEqualTo(204);
        } finally {
            refresher.answer(204, "");
        }
        assertThat(refresher.received()).isEmpty();
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE id = ?::uuid", id)).isZero();
    }

    @Test
    void deleteWhenSharedProfileOfAdminByMemberThen403() throws IOException {
        Account admin = newOrg("admin");
        Account alice = newUser(admin.orgId(), "member");
        String sharedId = id(create(admin, "{\"connectorKey\":\"gitlab\",\"shared\":true}"));
        assertThat(send("DELETE", uri("/api/auth-profiles/" + sharedId), token(alice), null).statusCode()).isEqualTo(403);
    }

    @Test
    void createSharedWhenAdminRoleButTokenLacksAdminScopeThen403() throws IOException {
        Account admin = newOrg("admin");
        HttpResponse<String> r = send("POST", uri("/api/auth-profiles"), token(admin, "profiles:write"),
                "{\"connectorKey\":\"gitlab\",\"profileKind\":\"oauth_account\",\"displayName\":\"GitLab\",\"shared\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE org_id = ?", admin.orgId())).isZero();
    }

    // ------------------------------------------------------------ reconnect and refresher status

    @Test
    void reconnectWhenNeedsReauthThenSameProfileIdFreshLink() throws IOException {
        Account alice = newOrg("member");
        String id = id(create(alice, "{\"connectorKey\":\"github\"}"));
        sql("UPDATE auth.auth_profiles SET status = 'needs_reauth' WHERE id = ?", UUID.fromString(id));

        HttpResponse<String> r = send("POST", uri("/api/auth-profiles/" + id + "/reconnect"), token(alice), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(member(map(r), "authProfile")).containsEntry("id", id).containsEntry("status", "needs_reauth");
        assertThat(map(r)).containsKey("connectUrl").containsEntry("reused", true);

        HttpResponse<String> again = create(alice, "{\"connectorKey\":\"github\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(member(map(again), "authProfile")).containsEntry("id", id);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
    }

    @Test
    void reconnectWhenActiveThen409() throws IOException {
        Account alice = newOrg("member");
        String id = id(create(alice, "{\"connectorKey\":\"github\"}"));
        sql("UPDATE auth.auth_profiles SET status = 'active' WHERE id = ?", UUID.fromString(id));
        assertThat(send("POST", uri("/api/auth-profiles/" + id + "/reconnect"), token(alice), null).statusCode()).isEqualTo(409);
    }

    @Test
    void internalStatusWhenRefresherMarksNeedsReauthThenVisibleOnProfile() throws IOException {
        Account alice = newOrg("member");
        String id = id(create(alice, "{\"connectorKey\":\"github\"}"));
        sql("UPDATE auth.auth_profiles SET status = 'active' WHERE id = ?", UUID.fromString(id));
        HttpResponse<String> r = send("POST", uri("/internal/auth-profiles/" + id + "/status"),
                internalToken("linkguard-token-refresher"), "{\"status\":\"needs_reauth\",\"errorCode\":\"invalid_grant\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        Map<String, Object> p = map(send("GET", uri("/api/auth-profiles/" + id), token(alice), null));
        assertThat(p).containsEntry("status", "needs_reauth").containsEntry("errorCode", "invalid_grant");
    }

    @Test
    void internalStatusWhenUserTokenThen403() throws IOException {
        Account alice = newOrg("member");
        String id = id(create(alice, "{\"connectorKey\":\"github\"}"));
        HttpResponse<String> r = send("POST", uri("/internal/auth-profiles/" + id + "/status"), token(alice),
                "{\"status\":\"needs_reauth\"}");
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void internalStatusWhenUnknownProfileThen404AndBadStatusThen400() {
        String internal = internalToken("linkguard-token-refresher");
        assertThat(send("POST", uri("/internal/auth-profiles/" + UUID.randomUUID() + "/status"), internal,
                "{\"status\":\"active\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", uri("/internal/auth-profiles/" + UUID.randomUUID() + "/status"), internal,
                "{\"status\":\"pending_auth\"}").statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------ helpers

    /** A profile that went through the connect flow once (status active, connected_at set). */
    String connected(Account a) throws IOException {
        String id = id(create(a, "{\"connectorKey\":\"github\"}"));
        sql("UPDATE auth.auth_profiles SET status = 'active', connected_at = now() WHERE id = ?::uuid", id);
        return id;
    }

    HttpResponse<String> create(Account a, String body) {
        return send("POST", uri("/api/auth-profiles"), token(a), body);
    }

    URI uri(String path) {
        return URI.create(server.getURL() + path);
    }

    String id(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        return (String) member(map(r), "authProfile").get("id");
    }

    Object sqlString(String query, Object arg) {
        List<Object> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
             var ps = c.prepareStatement(query)) {
            ps.setObject(1, arg);
            try (var rs = ps.executeQuery()) {
                rs.next();
                out.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.get(0);
    }

    Map<String, Object> map(HttpResponse<String> r) throws IOException {
        return json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
    }

    List<Map<String, Object>> list(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readValue(r.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> member(Map<String, Object> m, String name) {
        return (Map<String, Object>) m.get(name);
    }

    static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        List<java.util.concurrent.Callable<T>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call);
        }
        return concurrently(calls);
    }

    static <T> List<T> concurrently(List<java.util.concurrent.Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (var c : calls) {
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
