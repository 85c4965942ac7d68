package io.linkguard.auth.oauth;

import io.linkguard.testsupport.Await;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.linkguard.auth.cleanup.CleanupJob;
import io.linkguard.auth.token.AccessTokenIssuer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every revocation event writes its entry on the revocation list, and auth-server's own APIs
 * refuse the affected access tokens at once (the other services follow the same list).
 */
@MicronautTest(transactional = false)
class RevocationEventsTest extends OAuthTestSupport {

    @Inject
    AccessTokenIssuer issuer;
    @Inject
    CleanupJob cleanup;
    @Inject
    io.linkguard.auth.jwk.SigningKeys keys;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.security.revocation.poll-interval", "100ms");
        return p;
    }

    record Tokens(String access, String refresh, String code, CodeVerifier verifier) {
    }

    Tokens login(String email) {
        CodeVerifier v = new CodeVerifier();
        Map<String, String> q = Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT,
                "scope", "connectors:read admin account:write",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue(), "code_challenge_method", "S256");
        Response login = browserLogin(URI.create(base() + "/oauth/authorize?" + form(q)), email, PASSWORD);
        String code = query(URI.create(login.header("Location"))).get("code");
        Response r = redeem(code, v);
        assertThat(r.status()).isEqualTo(200);
        return new Tokens(field(r.body(), "access_token"), field(r.body(), "refresh_token"), code, v);
    }

    Response redeem(String code, CodeVerifier v) {
        return postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", DASHBOARD, "code_verifier", v.getValue()), null, null);
    }

    Response refresh(String refreshToken) {
        return postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", DASHBOARD),
                null, null);
    }

    long entries(String kind, String value) {
        return count("SELECT count(*) FROM auth.revocations WHERE kind = ? AND value = ?", kind, value);
    }

    /** RFC 7662 as a resource server asks it. */
    boolean active(String accessToken) {
        Response r = postForm("/oauth/introspect", Map.of("token", accessToken), "linkguard-api-gateway", INTERNAL_SECRET);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body().replace(" ", "").contains("\"active\":true");
    }

    static String claim(String token, String name) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim(name);
    }

    static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(5), condition);
    }

    @Test
    void tokenWhenIssuedFromCodeFlowThenCarriesItsFamilyAsSid() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        String sid = claim(t.access(), "sid");
        assertThat(count("SELECT count(*) FROM auth.token_families WHERE id = ?::uuid", sid)).isEqualTo(1);
        String next = field(refresh(t.refresh()).body(), "access_token");
        assertThat(claim(next, "sid")).isEqualTo(sid);
    }

    @Test
    void revokeWhenAccessTokenThenJtiListedAndTokenRefused() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        assertThat(get("/api/me", t.access()).status()).isEqualTo(200);
        assertThat(active(t.access())).isTrue();

        assertThat(postForm("/oauth/revoke", Map.of("token", t.access(), "client_id", DASHBOARD), null, null).status()).isEqualTo(200);

        assertThat(entries("jti", claim(t.access(), "jti"))).isEqualTo(1);
        assertThat(active(t.access())).as("introspection answers from the list at once").isFalse();
        await("revoked token refused", () -> get("/api/me", t.access()).status() == 401);
        // the rest of the session goes on: a refresh gives a working token
        assertThat(get("/api/me", field(refresh(t.refresh()).body(), "access_token")).status()).isEqualTo(200);
    }

    @Test
    void revokeWhenAnotherClientsOrForgedAccessTokenThenNothingListedAndTokenStaysActive() throws Exception {
        sql("INSERT INTO auth.clients (client_id, client_type, name, kind, redirect_uris, grant_types, scopes) "
                + "VALUES ('other-spa', 'public', 'Other', 'first_party', ARRAY['" + REDIRECT + "'], "
                + "ARRAY['authorization_code','refresh_token'], ARRAY['connectors:read']) ON CONFLICT DO NOTHING");
        String[] org = signup();
        Tokens t = login(org[2]);
        String jti = claim(t.access(), "jti");

        assertThat(postForm("/oauth/revoke", Map.of("token", t.access(), "client_id", "other-spa"), null, null).status())
                .as("the endpoint reveals nothing").isEqualTo(200);
        // the same claims under a signature that is not ours
        String[] parts = t.access().split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(postForm("/oauth/revoke", Map.of("token", forged, "client_id", DASHBOARD), null, null).status()).isEqualTo(200);

        assertThat(entries("jti", jti)).isZero();
        assertThat(active(t.access())).isTrue();
        assertThat(get("/api/me", t.access()).status()).isEqualTo(200);
    }

    @Test
    void revokeWhenRefreshTokenThenFamilyListedAndItsAccessTokenRefused() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        assertThat(postForm("/oauth/revoke", Map.of("token", t.refresh(), "client_id", DASHBOARD), null, null).status()).isEqualTo(200);
        assertThat(entries("sid", claim(t.access(), "sid"))).isEqualTo(1);
        assertThat(active(t.access())).isFalse();
        await("family's access token refused", () -> get("/api/me", t.access()).status() == 401);
    }

    @Test
    void refreshWhenUsedTokenPresentedAgainThenFamilyListedAndEveryAccessTokenOfItRefused() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        String second = field(refresh(t.refresh()).body(), "access_token");
        assertThat(get("/api/me", second).status()).isEqualTo(200);

        assertThat(refresh(t.refresh()).status()).isEqualTo(400); // reuse: theft

        assertThat(entries("sid", claim(t.access(), "sid"))).isEqualTo(1);
        await("first access token refused", () -> get("/api/me", t.access()).status() == 401);
        await("rotated access token refused", () -> get("/api/me", second).status() == 401);
    }

    @Test
    void tokenWhenCodeReplayedThenFamilyListedAndTokenRefused() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        assertThat(redeem(t.code(), t.verifier()).status()).isEqualTo(400);
        assertThat(entries("sid", claim(t.access(), "sid"))).isEqualTo(1);
        await("token of the replayed code refused", () -> get("/api/me", t.access()).status() == 401);
    }

    @Test
    void deleteUserWhenDeletedThenSubjectListedWithNotBeforeAndTokenRefused() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        Response del = send(http, java.net.http.HttpRequest.newBuilder(URI.create(base() + "/api/users/" + org[1]))
                .header("Authorization", "Bearer " + t.access()).DELETE());
        assertThat(del.status()).isEqualTo(204);
        assertThat(count("SELECT count(*) FROM auth.revocations WHERE kind = 'sub' AND value = ? AND not_before <= now()",
                io.linkguard.http.security.RevocationEntry.subjectDigest(org[1]))).as("listed by digest").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM auth.revocations WHERE value = ?", org[1])).as("never by the user id").isZero();
        assertThat(active(t.access())).isFalse();
        await("deleted user's token refused", () -> get("/api/me", t.access()).status() == 401);
    }

    @Test
    void internalRevocationsWhenInternalTokenThenEntriesAfterCursorElse401Or403() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        String internal = issuer.issue("linkguard-api-gateway", "linkguard-api-gateway", "internal", null, null).token();
        Response all = get("/internal/revocations?since=0", internal);
        assertThat(all.status()).isEqualTo(200);
        long cursor = Long.parseLong(all.body().replaceAll("(?s).*\"cursor\"\\s*:\\s*(\\d+).*", "$1"));

        postForm("/oauth/revoke", Map.of("token", t.access(), "client_id", DASHBOARD), null, null);
        Response news = get("/internal/revocations?since=" + cursor, internal);
        assertThat(news.status()).isEqualTo(200);
        assertThat(news.header("Cache-Control")).isEqualTo("no-store");
        assertThat(news.body()).contains("\"kind\":\"jti\"").contains(claim(t.access(), "jti")).contains("\"more\":false");
        assertThat(Long.parseLong(news.body().replaceAll("(?s).*\"cursor\"\\s*:\\s*(\\d+).*", "$1"))).isGreaterThan(cursor);

        assertThat(get("/internal/revocations?since=0", null).status()).isEqualTo(401);
        assertThat(get("/internal/revocations?since=0", login(signup()[2]).access()).status()).isEqualTo(403);
        assertThat(get("/internal/revocations?since=-1", internal).status()).isEqualTo(400);
    }

    @Test
    void bearerWhenTypNotAtJwtThen401() throws Exception {
        String[] org = signup();
        Tokens t = login(org[2]);
        var claims = SignedJWT.parse(t.access()).getJWTClaimsSet();
        var key = keys.current();
        for (var typ : new com.nimbusds.jose.JOSEObjectType[] {null, com.nimbusds.jose.JOSEObjectType.JWT}) {
            SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                    .type(typ).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
            assertThat(get("/api/me", jwt.serialize()).status()).as("typ " + typ).isEqualTo(401);
        }
        assertThat(get("/api/me", t.access()).status()).isEqualTo(200);
    }

    @Test
    void cleanupWhenEntryExpiredThenDeletedAndLiveKept() {
        sql("INSERT INTO auth.revocations (kind, value, expires_at) VALUES ('jti', 'old-" + UUID.randomUUID() + "', now() - interval '1 minute')");
        String live = "live-" + UUID.randomUUID();
        sql("INSERT INTO auth.revocations (kind, value, expires_at) VALUES ('jti', ?, now() + interval '5 minutes')", live);
        cleanup.run();
        assertThat(count("SELECT count(*) FROM auth.revocations WHERE expires_at < now()")).isZero();
        assertThat(entries("jti", live)).isEqualTo(1);
    }
}
