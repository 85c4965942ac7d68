package io.linkguard.auth.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpServer;
import io.linkguard.auth.cleanup.CleanupJob;
import io.linkguard.auth.jwk.SigningKeys;
import io.linkguard.auth.token.AccessTokenIssuer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts API, token validation, user deletion with delivery to the other services, cleanup. */
@MicronautTest(transactional = false)
class AccountsAndLifecycleTest extends OAuthTestSupport {

    /** Stands in for token-refresher and connector-health: records deletions, fails the first one to prove retries. */
    static final List<String> DELETIONS = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAIL_FIRST = new AtomicInteger(1);
    static final HttpServer DOWNSTREAM = start();

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/internal/users/", ex -> {
                ex.getRequestBody().readAllBytes();
                boolean authorized = ex.getRequestHeaders().getFirst("Authorization") != null;
                int status = !authorized ? 401 : FAIL_FIRST.getAndDecrement() > 0 ? 503 : 204;
                if (status == 204) {
                    DELETIONS.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    SigningKeys keys;
    @Inject
    AccessTokenIssuer issuer;
    @Inject
    CleanupJob cleanup;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        String url = "http://127.0.0.1:" + DOWNSTREAM.getAddress().getPort();
        p.put("linkguard.deletion.refresher-url", url);
        p.put("linkguard.deletion.health-url", url);
        p.put("linkguard.deletion.interval", "200ms");
        return p;
    }

    @AfterAll
    void stopDownstream() {
        DOWNSTREAM.stop(0);
    }

    String login(String email, String scope) {
        CodeVerifier v = new CodeVerifier();
        Map<String, String> q = Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT, "scope", scope,
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue(), "code_challenge_method", "S256");
        Response login = browserLogin(URI.create(base() + "/oauth/authorize?" + form(q)), email, PASSWORD);
        String code = query(URI.create(login.header("Location"))).get("code");
        return field(postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", DASHBOARD, "code_verifier", v.getValue()), null, null).body(), "access_token");
    }

    static String scopeOf(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("scope");
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void signupWhenEmailTakenThen409ProblemWithoutDatabaseWords() {
        String[] a = signup();
        Response again = postJson("/api/signup", null, "{\"orgName\":\"X\",\"email\":\"" + a[2].toUpperCase() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.body()).doesNotContainIgnoringCase("duplicate key").doesNotContain("users_email").doesNotContain("23505");
    }

    @Test
    void signupWhenMalformedThen400Problem() {
        assertThat(postJson("/api/signup", null, "{\"orgName\":\"X\",\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(400);
        assertThat(postJson("/api/signup", null, "{\"orgName\":\"X\",\"email\":\"a@b.example\",\"password\":\"short\"}").status())
                .isEqualTo(400);
        Response broken = postJson("/api/signup", null, "{\"orgName\":");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void membersWhenOwnerAddsThenMemberCanSignInAndMemberCannotAddOrSeeOtherOrg() {
        String[] org = signup();
        String owner = login(org[2], "connectors:read admin");
        String memberEmail = "member-" + UUID.randomUUID() + "@example.test";
        Response added = postJson("/api/orgs/" + org[0] + "/users", owner,
                "{\"email\":\"" + memberEmail + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String member = login(memberEmail, "connectors:read");
        // a member who asks for admin (the dashboard always does) gets a token without it
        String memberAskingAdmin = login(memberEmail, "connectors:read admin");
        assertThat(scopeOf(memberAskingAdmin)).isEqualTo("connectors:read");
        assertThat(scopeOf(owner)).isEqualTo("connectors:read admin");
        Response me = get("/api/me", member);
        assertThat(me.body()).contains(memberEmail).contains("\"role\":\"member\"").contains(org[0]);
        assertThat(postJson("/api/orgs/" + org[0] + "/users", member,
                "{\"email\":\"x-" + UUID.randomUUID() + "@example.test\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}").status())
                .isEqualTo(403);
        String[] other = signup();
        Response cross = postJson("/api/orgs/" + other[0] + "/service-accounts", owner, "{\"name\":\"w\",\"scopes\":[\"tokens:read\"]}");
        assertThat(cross.status()).as("another org's id answers like an unknown one").isEqualTo(404);
        Response unknown = postJson("/api/orgs/" + UUID.randomUUID() + "/service-accounts", owner, "{\"name\":\"w\",\"scopes\":[\"tokens:read\"]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(field(unknown.body(), "detail")).isEqualTo(field(cross.body(), "detail"));
    }

    @Test
    void serviceAccountWhenScopeNotForWorkersThen400() {
        String[] org = signup();
        String owner = login(org[2], "admin");
        Response r = postJson("/api/orgs/" + org[0] + "/service-accounts", owner, "{\"name\":\"w\",\"scopes\":[\"admin\"]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("scopes");
    }

    @Test
    void internalUsersWhenInternalTokenThenOrgElse403And404() {
        String[] org = signup();
        String internal = issuer.issue("linkguard-api-gateway", "linkguard-api-gateway", "internal", null, null).token();
        Response ok = get("/internal/users/" + org[1], internal);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(field(ok.body(), "orgId")).isEqualTo(org[0]);
        assertThat(get("/internal/users/" + UUID.randomUUID(), internal).status()).isEqualTo(404);
        assertThat(get("/internal/users/" + org[1], login(org[2], "connectors:read")).status()).isEqualTo(403);
    }

    @Test
    void bearerWhenForgedOrExpiredOrWrongIssuerThen401() throws Exception {
        String[] org = signup();
        String good = login(org[2], "connectors:read");
        JWTClaimsSet claims = SignedJWT.parse(good).getJWTClaimsSet();
        var key = keys.current();
        List<String> bad = List.of(
                new PlainJWT(claims).serialize(),
                hmac(claims),
                sign(new JWTClaimsSet.Builder(claims).expirationTime(Date.from(Instant.now().minusSeconds(120))).build(), key),
                sign(new JWTClaimsSet.Builder(claims).issuer("https://evil.example").build(), key),
                sign(new JWTClaimsSet.Builder(claims).audience("other").build(), key),
                good.substring(0, good.lastIndexOf('.') + 1) + "AAAA");
        for (String token : bad) {
            Response r = get("/api/me", token);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(get("/api/me", good).status()).isEqualTo(200);
        assertThat(get("/api/me", null).status()).isEqualTo(401);
    }

    static String sign(JWTClaimsSet claims, com.nimbusds.jose.jwk.ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    String hmac(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.current().getKeyID()).build(), claims);
        jwt.sign(new MACSigner(keys.current().toPublicJWK().toJSONString().repeat(2).getBytes()));
        return jwt.serialize();
    }

    @Test
    void keyRotationWhenRotatedThenOldTokensStillValidAndJwksHasBoth() throws Exception {
        String[] org = signup();
        String before = login(org[2], "connectors:read");
        String internal = issuer.issue("op", "op", "internal", null, null).token();
        String jwksBefore = get("/oauth/jwks", null).body();
        Response rotated = postJson("/internal/keys/rotate", internal, "{}");
        assertThat(rotated.status()).isEqualTo(200);
        // the key that signs from now on was published before it signed anything
        assertThat(jwksBefore).contains(field(rotated.body(), "kid"));
        assertThat(field(rotated.body(), "kid")).isNotEqualTo(SignedJWT.parse(before).getHeader().getKeyID());
        String jwks = get("/oauth/jwks", null).body();
        assertThat(jwks).contains(SignedJWT.parse(before).getHeader().getKeyID()).contains(field(rotated.body(), "kid"));
        assertThat(get("/api/me", before).status()).isEqualTo(200);
        String after = login(org[2], "connectors:read");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(field(rotated.body(), "kid"));
    }

    @Test
    void deleteUserWhenAdminDeletesMemberThenRowsGoneAndDeletionDeliveredToEveryService() throws Exception {
        String[] org = signup();
        String owner = login(org[2], "connectors:read admin");
        String memberEmail = "gone-" + UUID.randomUUID() + "@example.test";
        String memberId = field(postJson("/api/orgs/" + org[0] + "/users", owner,
                "{\"email\":\"" + memberEmail + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}").body(), "userId");
        login(memberEmail, "connectors:read"); // leaves a token family and refresh token behind

        String[] stranger = signup();
        assertThat(send(http, java.net.http.HttpRequest.newBuilder(URI.create(base() + "/api/users/" + memberId))
                .header("Authorization", "Bearer " + login(stranger[2], "admin")).DELETE()).status()).isEqualTo(404);

        Response del = send(http, java.net.http.HttpRequest.newBuilder(URI.create(base() + "/api/users/" + memberId))
                .header("Authorization", "Bearer " + owner).DELETE());
        assertThat(del.status()).isEqualTo(204);
        UUID id = UUID.fromString(memberId);
        for (String table : List.of("users", "memberships", "token_families", "authorization_codes")) {
            assertThat(count("SELECT count(*) FROM auth." + table + " WHERE " + (table.equals("users") ? "id" : "user_id") + " = ?", id))
                    .as(table).isZero();
        }
        // one service answered 503 first: the job retries until both confirmed, and a confirmed row is
        // deleted at once (the outbox keeps no trace of a deleted user)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count("SELECT count(*) FROM auth.user_deletion_outbox WHERE user_id = ?", id) > 0
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(count("SELECT count(*) FROM auth.user_deletion_outbox WHERE user_id = ?", id)).isZero();
        assertThat(DELETIONS).filteredOn(d -> d.equals("DELETE /internal/users/" + memberId)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void schemaWhenAnyForeignKeyReferencesUsersOrOrgsThenItCascades() {
        long notCascading = count("""
                SELECT count(*) FROM pg_constraint
                 WHERE contype = 'f' AND connamespace = 'auth'::regnamespace
                   AND confrelid IN ('auth.users'::regclass, 'auth.orgs'::regclass) AND confdeltype <> 'c'
                   -- the one documented exception: an org's OAuth app outlives its creator (SET NULL);
                   -- the user's personal profiles are deleted with them by UserDeletionService
                   AND NOT (conname = 'auth_profiles_created_by_fkey' AND confdeltype = 'n')""");
        long cascading = count("""
                SELECT count(*) FROM pg_constraint
                 WHERE contype = 'f' AND connamespace = 'auth'::regnamespace
                   AND confrelid IN ('auth.users'::regclass, 'auth.orgs'::regclass) AND confdeltype = 'c'""");
        assertThat(notCascading).isZero();
        assertThat(cascading).as("the check looks at real constraints").isGreaterThan(5);
    }

    @Test
    void cleanupWhenRowsExpiredThenDeletedAndLiveRowsKept() {
        String[] org = signup();
        login(org[2], "connectors:read"); // live family, refresh token, access token, used code
        login(org[2], "connectors:read");
        UUID user = UUID.fromString(org[1]);
        // age one grant completely, keep the other live
        sql("""
            UPDATE auth.token_families SET expires_at = now() - interval '1 minute'
             WHERE id = (SELECT id FROM auth.token_families WHERE user_id = ? ORDER BY created_at LIMIT 1)""", user);
        sql("UPDATE auth.refresh_tokens SET expires_at = now() - interval '1 minute' WHERE family_id IN "
                + "(SELECT id FROM auth.token_families WHERE user_id = ? AND expires_at < now())", user);
        sql("UPDATE auth.authorization_codes SET expires_at = now() - interval '2 days' WHERE user_id = ?", user);
        long liveFamilies = count("SELECT count(*) FROM auth.token_families WHERE user_id = ? AND expires_at > now()", user);
        long liveRefresh = count("SELECT count(*) FROM auth.refresh_tokens r JOIN auth.token_families f ON f.id = r.family_id "
                + "WHERE f.user_id = ? AND r.expires_at > now()", user);
        assertThat(liveFamilies).isEqualTo(1);

        cleanup.run();

        assertThat(count("SELECT count(*) FROM auth.token_families WHERE expires_at < now()")).isZero();
        assertThat(count("SELECT count(*) FROM auth.refresh_tokens WHERE expires_at < now()")).isZero();
        assertThat(count("SELECT count(*) FROM auth.authorization_codes WHERE expires_at < now() - interval '1 day'")).isZero();
        assertThat(count("SELECT count(*) FROM auth.token_families WHERE user_id = ? AND expires_at > now()", user)).isEqualTo(liveFamilies);
        assertThat(count("SELECT count(*) FROM auth.refresh_tokens r JOIN auth.token_families f ON f.id = r.family_id "
                + "WHERE f.user_id = ? AND r.expires_at > now()", user)).isEqualTo(liveRefresh);
    }
}
