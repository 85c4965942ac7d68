package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth-profile rules (docs/connect-flow.md) through the gateway on the real processes and
 * database: the one-pending-profile rule (reuse, the slug conflict, two users in parallel, one
 * user's burst of creates) and the connect flow against the mock provider hop by hop (approve,
 * deny, replay).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthProfileSystemTest {

    /** What no body may carry (docs/problems.md): the database's words leaking through the API. */
    private static final List<String> LEAKS = List.of("duplicate key", "23505", "constraint", "sqlstate",
            "auth_profiles_one_pending_per_user", "auth_profiles_slug_per_org", "\tat ");

    RunningSystem sys;
    Tenant a;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        a = Tenant.create(sys);
    }

    /** Every answer this class receives goes through here. */
    static Http.Response seen(Http.Response r) {
        String body = r.body() == null ? "" : r.body().toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            assertThat(body).as("a response body (" + r.status() + ") carries '" + leak + "': " + r.body())
                    .doesNotContain(leak);
        }
        return r;
    }

    Http.Response create(String userToken, String slug) {
        return seen(Tenant.createProfile(sys, userToken, "mock", slug));
    }

    Http.Response profile(String userToken, String id) {
        return seen(Http.get(sys.gateway() + "/api/auth-profiles/" + id, userToken));
    }

    long pendingRows(String userId) {
        return sys.count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ? AND connector_key = 'mock'",
                UUID.fromString(userId));
    }

    @Test
    void createWhenRepeatedWithoutSlugThenReusedWithFreshConnectTokenAndOneRow() {
        String[] user = a.addMember(sys, "member");

        Http.Response first = create(user[1], null);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.header("Content-Type")).startsWith("application/json");
        JsonNode f = first.json();
        assertThat(f.get("reused").asBoolean()).isFalse();
        assertThat(f.get("authProfile").get("status").asText()).isEqualTo("pending_auth");
        assertThat(f.get("authProfile").get("createdBy").asText()).isEqualTo(user[0]);
        assertThat(f.get("connectUrl").asText()).isEqualTo(sys.config.publicUrl() + "/connect/" + f.get("connectToken").asText());

        Http.Response second = create(user[1], null);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        JsonNode s = second.json();
        assertThat(s.get("reused").asBoolean()).isTrue();
        assertThat(s.get("authProfile").get("id").asText()).isEqualTo(f.get("authProfile").get("id").asText());
        assertThat(s.get("authProfile").get("slug").asText()).isEqualTo(f.get("authProfile").get("slug").asText());
        assertThat(s.get("connectToken").asText()).isNotBlank().isNotEqualTo(f.get("connectToken").asText());
        assertThat(s.get("connectUrl").asText()).endsWith("/connect/" + s.get("connectToken").asText());

        assertThat(pendingRows(user[0])).isEqualTo(1);
    }

    @Test
    void createWhenDifferentSlugWhilePendingThen409NamingTheExistingProfile() {
        String[] user = a.addMember(sys, "member");
        JsonNode existing = create(user[1], null).json().get("authProfile");

        Http.Response conflict = create(user[1], "second-account");

        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).startsWith("application/problem+json");
        JsonNode p = conflict.json();
        assertThat(p.get("type").asText()).endsWith("pending-auth-conflict");
        assertThat(p.get("status").asInt()).isEqualTo(409);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains(existing.get("slug").asText());
        assertThat(p.get("existing").get("id").asText()).isEqualTo(existing.get("id").asText());
        assertThat(p.get("existing").get("slug").asText()).isEqualTo(existing.get("slug").asText());
        assertThat(p.get("existing").get("status").asText()).isEqualTo("pending_auth");
        assertThat(pendingRows(user[0])).isEqualTo(1);
    }

    @Test
    void createWhenTwoUsersOfOneOrgCreateInParallelThenBothCreatedAndTwoRows() throws Exception {
        String[] one = a.addMember(sys, "member");
        String[] two = a.addMember(sys, "member");

        List<Http.Response> answers = simultaneously(List.of(one[1], two[1]));

        assertThat(answers).extracting(Http.Response::status).as(answers.toString()).containsExactly(201, 201);
        assertThat(answers.get(0).json().get("authProfile").get("createdBy").asText()).isEqualTo(one[0]);
        assertThat(answers.get(1).json().get("authProfile").get("createdBy").asText()).isEqualTo(two[0]);
        assertThat(pendingRows(one[0])).isEqualTo(1);
        assertThat(pendingRows(two[0])).isEqualTo(1);
        assertThat(sys.count("SELECT count(*) FROM auth.auth_profiles WHERE org_id = ? AND connector_key = 'mock'"
                + " AND status = 'pending_auth' AND created_by IN (?, ?)", UUID.fromString(a.account.orgId()),
                UUID.fromString(one[0]), UUID.fromString(two[0]))).isEqualTo(2);
    }

    @Test
    void createWhenTwentySimultaneousByOneUserThenExactlyOneRowAndEveryAnswerCarriesIt() throws Exception {
        String[] user = a.addMember(sys, "member");

        List<Http.Response> answers = simultaneously(java.util.Collections.nCopies(20, user[1]));

        assertThat(pendingRows(user[0])).isEqualTo(1);
        String rowId = rowId(user[0]);
        int created = 0;
        for (Http.Response r : answers) {
            assertThat(r.status()).as(r.body()).isIn(200, 201, 409);
            JsonNode body = r.json();
            if (r.status() == 409) {
                assertThat(r.header("Content-Type")).startsWith("application/problem+json");
                assertThat(body.get("type").asText()).endsWith("pending-auth-conflict");
                if (body.has("existing")) {
                    assertThat(body.get("existing").get("id").asText()).isEqualTo(rowId);
                }
            } else {
                created += r.status() == 201 ? 1 : 0;
                assertThat(body.get("authProfile").get("id").asText()).as(r.body()).isEqualTo(rowId);
                assertThat(body.get("reused").asBoolean()).isEqualTo(r.status() == 200);
                assertThat(body.get("connectToken").asText()).isNotBlank();
            }
        }
        assertThat(created).as("answers with 201").isEqualTo(1);
        assertThat(answers.stream().filter(r -> r.status() != 409).map(r -> r.json().get("connectToken").asText())
                .distinct().count()).as("distinct connect tokens").isEqualTo(answers.stream().filter(r -> r.status() != 409).count());
    }

    @Test
    void createWhenTwentySimultaneousWithDifferentSlugsThenOneCreatedAndTheOthers409NamingIt() throws Exception {
        String[] user = a.addMember(sys, "member");

        List<Http.Response> answers = simultaneously(java.util.Collections.nCopies(20, user[1]), i -> "account-" + i);

        assertThat(pendingRows(user[0])).isEqualTo(1);
        String rowId = rowId(user[0]);
        List<Http.Response> created = answers.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).as(answers.toString()).hasSize(1);
        JsonNode winner = created.get(0).json().get("authProfile");
        assertThat(winner.get("id").asText()).isEqualTo(rowId);
        for (Http.Response r : answers) {
            if (r.status() == 201) {
                continue;
            }
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            JsonNode p = r.json();
            assertThat(p.get("type").asText()).endsWith("pending-auth-conflict");
            assertThat(p.get("detail").asText()).contains(winner.get("slug").asText());
            assertThat(p.get("existing").get("id").asText()).isEqualTo(rowId);
        }
    }

    @Test
    void connectWhenProviderApprovesThenProfileActiveCredentialEncryptedAndHealthConnected() throws Exception {
        String[] user = a.addMember(sys, "member");
        JsonNode created = create(user[1], null).json();
        String id = created.get("authProfile").get("id").asText();
        String connectToken = created.get("connectToken").asText();

        ConnectFlow.Hops hops = ConnectFlow.follow(created.get("connectUrl").asText());

        Http.Response page = seen(hops.page());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("@example.test").contains("Continue to");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        Http.Response start = seen(hops.start());
        assertThat(start.status()).as(start.body()).isEqualTo(303);
        assertThat(start.header("Cache-Control")).contains("no-store");
        assertThat(start.header("Referrer-Policy")).isEqualTo("no-referrer");
        String authorize = start.header("Location");
        assertThat(authorize).startsWith(sys.url("mock-provider") + "/authorize?");
        Map<String, String> q = Http.query(authorize);
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "linkguard-local")
                .containsEntry("redirect_uri", sys.config.publicUrl() + "/connect/callback")
                .containsEntry("code_challenge_method", "S256").containsEntry("scope", "read write");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(q.get("code_challenge")).isNotBlank();

        Http.Response provider = seen(hops.provider());
        assertThat(provider.status()).as(provider.body()).isEqualTo(302);
        assertThat(hops.callbackUrl()).startsWith(sys.config.publicUrl() + "/connect/callback?");
        assertThat(Http.query(hops.callbackUrl())).containsEntry("state", q.get("state")).containsKey("code");

        Http.Response callback = seen(hops.callback());
        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        assertThat(callback.header("Location")).isEqualTo(sys.config.publicUrl() + "/app/?connected=mock");
        assertThat(callback.header("Cache-Control")).contains("no-store");

        JsonNode p = profile(user[1], id).json();
        assertThat(p.get("status").asText()).isEqualTo("active");
        assertThat(p.get("connectedAt").isNull()).isFalse();
        assertThat(p.get("grantedScopes")).extracting(JsonNode::asText).containsExactlyInAnyOrder("read", "write");
        assertThat(p.get("missingScopes")).isEmpty();

        assertThat(sys.count("SELECT count(*) FROM refresher.credentials WHERE auth_profile_id = ? AND user_id = ?"
                + " AND connector_key = 'mock' AND status = 'active' AND refresh_token_ct IS NOT NULL",
                UUID.fromString(id), UUID.fromString(user[0]))).isEqualTo(1);
        Http.Response fresh = seen(Http.post(sys.gateway() + "/api/connections/" + id + "/access-token", a.workerToken(sys)));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        String accessToken = fresh.json().get("accessToken").asText();
        assertThat(accessToken).startsWith("mock_at_");
        // Neither the provider's tokens nor the one-time connect token and state are kept in the clear,
        // in any column of any schema (bytea is searched as hex, as PostgreSQL prints it, and as base64).
        assertThat(tablesHolding(id)).as("the scan finds what is stored").contains("auth.auth_profiles holds " + id);
        assertThat(tablesHolding(accessToken, "mock_at_", "mock_rt_", connectToken, q.get("state")))
                .as("tables holding a plaintext secret").isEmpty();

        Http.Response status = seen(Http.get(sys.gateway() + "/api/connectors/" + user[0] + "/status", user[1]));
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.json().get("connectors").get("mock").get("status").asText()).isEqualTo("connected");
        assertThat(status.json().get("anyNeedsReauth").asBoolean()).isFalse();
    }

    @Test
    void connectWhenProviderDeniesThenClearErrorPageAndProfileStaysPending() throws Exception {
        String[] user = a.addMember(sys, "member");
        JsonNode created = create(user[1], null).json();
        String id = created.get("authProfile").get("id").asText();

        ConnectFlow.Hops hops;
        try (AutoCloseable denied = ConnectFlow.providerRefuses(sys, "access_denied")) {
            hops = ConnectFlow.follow(created.get("connectUrl").asText());
        }

        assertThat(seen(hops.start()).status()).isEqualTo(303);
        assertThat(seen(hops.provider()).status()).isEqualTo(302);
        assertThat(Http.query(hops.callbackUrl())).containsEntry("error", "access_denied").doesNotContainKey("code");
        Http.Response page = seen(hops.callback());
        assertErrorPage(page);
        assertThat(page.body()).contains("access was not granted");

        Http.Response replay = seen(Http.get(hops.callbackUrl(), null));
        assertErrorPage(replay);

        assertThat(profile(user[1], id).json().get("status").asText()).isEqualTo("pending_auth");
        assertThat(sys.count("SELECT count(*) FROM refresher.credentials WHERE auth_profile_id = ?", UUID.fromString(id))).isZero();
        JsonNode status = seen(Http.get(sys.gateway() + "/api/connectors/" + user[0] + "/status", user[1])).json();
        assertThat(status.get("connectors").has("mock")).as(status.toString()).isFalse();
        // Trying again reuses the same pending profile.
        Http.Response again = create(user[1], null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("authProfile").get("id").asText()).isEqualTo(id);
        assertThat(pendingRows(user[0])).isEqualTo(1);
    }

    @Test
    void callbackWhenStateReplayedAfterConnectingThenRefusedAndNothingChanges() {
        String[] user = a.addMember(sys, "member");
        JsonNode created = create(user[1], null).json();
        String id = created.get("authProfile").get("id").asText();
        ConnectFlow.Hops hops = ConnectFlow.follow(created.get("connectUrl").asText());
        assertThat(seen(hops.callback()).status()).as(hops.callback().body()).isEqualTo(302);
        JsonNode before = profile(user[1], id).json();
        JsonNode healthBefore = seen(Http.get(sys.gateway() + "/api/connectors/" + user[0] + "/status", user[1]))
                .json().get("connectors").get("mock");

        Http.Response replay = seen(Http.get(hops.callbackUrl(), null));
        assertErrorPage(replay);
        Http.Response relink = seen(Http.get(created.get("connectUrl").asText(), null));
        assertThat(relink.status()).as("the used connect link again").isEqualTo(410);
        assertThat(relink.header("Location")).isNull();

        assertThat(profile(user[1], id).json()).isEqualTo(before);
        assertThat(sys.count("SELECT count(*) FROM refresher.credentials WHERE auth_profile_id = ?", UUID.fromString(id))).isEqualTo(1);
        JsonNode healthAfter = seen(Http.get(sys.gateway() + "/api/connectors/" + user[0] + "/status", user[1]))
                .json().get("connectors").get("mock");
        assertThat(healthAfter.get("status").asText()).isEqualTo("connected");
        assertThat(healthAfter.get("lastSuccessAt")).isEqualTo(healthBefore.get("lastSuccessAt"));
    }

    /** A browser-facing failure: a 4xx HTML page in plain words, no redirect, nothing technical. */
    static void assertErrorPage(Http.Response page) {
        assertThat(page.status()).as(page.body()).isBetween(400, 499);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Location")).isNull();
        assertThat(page.body()).contains("<h1").doesNotContain("Exception").doesNotContain("io.linkguard")
                .doesNotContain("at java.");
    }

    /** The same create (without slug) by each token at the same moment; answers in token order. */
    List<Http.Response> simultaneously(List<String> tokens) throws Exception {
        return simultaneously(tokens, i -> null);
    }

    /** Creates by each token at the same moment, the i-th with slug {@code slugOf(i)}; answers in token order. */
    List<Http.Response> simultaneously(List<String> tokens, java.util.function.IntFunction<String> slugOf) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                String slug = slugOf.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return Tenant.createProfile(sys, token, "mock", slug);
                }));
            }
            go.countDown();
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> f : futures) {
                answers.add(seen(f.get(60, TimeUnit.SECONDS)));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    String rowId(String userId) throws Exception {
        try (Connection c = sys.db(); var st = c.prepareStatement(
                "SELECT id FROM auth.auth_profiles WHERE created_by = ? AND connector_key = 'mock'")) {
            st.setObject(1, UUID.fromString(userId));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Tables of the three schemas with a row whose text holds one of the secrets (plain, hex or base64). */
    List<String> tablesHolding(String... secrets) throws Exception {
        List<String> needles = new ArrayList<>();
        for (String s : secrets) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            needles.add(s);
            needles.add(HexFormat.of().formatHex(bytes));
            // only the characters that do not depend on what follows the secret in a longer encoding
            needles.add(Base64.getEncoder().encodeToString(bytes).substring(0, bytes.length * 8 / 6));
        }
        List<String> found = new ArrayList<>();
        try (Connection c = sys.db(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT table_schema || '.' || table_name FROM information_schema.tables
                     WHERE table_schema IN ('auth', 'refresher', 'health') AND table_type = 'BASE TABLE'""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("refresher.credentials", "auth.auth_profiles", "auth.connect_tokens");
            for (String table : tables) {
                for (String needle : needles) {
                    try (var q = c.prepareStatement("SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0")) {
                        q.setString(1, needle);
                        try (ResultSet rs = q.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(table + " holds " + needle);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
