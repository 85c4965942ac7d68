package io.linkguard.auth.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code + PKCE + refresh + revoke + introspect flow, driven by the Nimbus
 * OAuth 2.0 SDK as an independent client; the browser part (the login form) by plain HTTP.
 */
@MicronautTest(transactional = false)
class AuthorizationCodeFlowTest extends OAuthTestSupport {

    String email;

    @BeforeAll
    void account() {
        email = signup()[2];
    }

    URI token() {
        return URI.create(base() + "/oauth/token");
    }

    record Authorized(AuthorizationCode code, CodeVerifier verifier) {
    }

    Authorized authorize() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        AuthorizationRequest request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID(DASHBOARD))
                .redirectionURI(URI.create(REDIRECT)).scope(new Scope("connectors:read", "profiles:write"))
                .state(state).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(base() + "/oauth/authorize")).build();
        Response login = browserLogin(request.toURI(), email, PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(login.header("Location")));
        assertThat(response.indicatesSuccess()).isTrue();
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getState()).isEqualTo(state);
        assertThat(success.getIssuer()).isEqualTo(new Issuer(ISSUER));
        return new Authorized(success.getAuthorizationCode(), verifier);
    }

    AccessTokenResponse redeem(Authorized a) throws Exception {
        TokenResponse r = TokenResponse.parse(new TokenRequest(token(), new ClientID(DASHBOARD),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())).toHTTPRequest().send());
        assertThat(r.indicatesSuccess()).as(() -> r.toErrorResponse().getErrorObject().toString()).isTrue();
        return r.toSuccessResponse();
    }

    TokenResponse refresh(RefreshToken rt) throws Exception {
        return TokenResponse.parse(new TokenRequest(token(), new ClientID(DASHBOARD), new RefreshTokenGrant(rt)).toHTTPRequest().send());
    }

    boolean active(AccessToken at) throws Exception {
        TokenIntrospectionResponse r = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                URI.create(base() + "/oauth/introspect"),
                new ClientSecretBasic(new ClientID("linkguard-api-gateway"), new Secret(INTERNAL_SECRET)), at)
                .toHTTPRequest().send());
        return r.toSuccessResponse().isActive();
    }

    @Test
    void flowWhenDrivenByStandardClientThenCodeRefreshRevokeAndIntrospectWork() throws Exception {
        AccessTokenResponse tokens = redeem(authorize());
        AccessToken at = tokens.getTokens().getAccessToken();
        RefreshToken rt = tokens.getTokens().getRefreshToken();
        assertThat(rt).isNotNull();
        assertThat(at.getScope()).isEqualTo(new Scope("connectors:read", "profiles:write"));
        assertThat(active(at)).isTrue();

        Response me = get("/api/me", at.getValue());
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains(email);

        TokenResponse refreshed = refresh(rt);
        assertThat(refreshed.indicatesSuccess()).isTrue();
        RefreshToken rt2 = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertThat(rt2).isNotEqualTo(rt);

        HTTPResponse revoked = new TokenRevocationRequest(URI.create(base() + "/oauth/revoke"), new ClientID(DASHBOARD), rt2)
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        TokenResponse afterRevoke = refresh(rt2);
        assertThat(afterRevoke.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) afterRevoke).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(active(at)).as("access tokens of a revoked family fail introspection").isFalse();
    }

    @Test
    void tokenResponseWhenIssuedThenNoStoreAndTokenIsAtJwtWithClaims() throws Exception {
        Authorized a = authorize();
        Response r = postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", a.code().getValue(),
                "redirect_uri", REDIRECT, "client_id", DASHBOARD, "code_verifier", a.verifier().getValue()), null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(field(r.body(), "access_token"));
        assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        var c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(ISSUER);
        assertThat(c.getAudience()).containsExactly("linkguard");
        assertThat(c.getStringClaim("client_id")).isEqualTo(DASHBOARD);
        assertThat(c.getStringClaim("role")).isEqualTo("owner");
        assertThat(c.getStringClaim("org_id")).isNotBlank();
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(c.getExpirationTime().getTime() - c.getIssueTime().getTime()).isEqualTo(600_000L);
    }

    @Test
    void codeWhenReplayedThenInvalidGrantAndTokensIssuedFromItAreRevoked() throws Exception {
        Authorized a = authorize();
        AccessTokenResponse first = redeem(a);
        TokenResponse again = TokenResponse.parse(new TokenRequest(token(), new ClientID(DASHBOARD),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) again).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(active(first.getTokens().getAccessToken())).isFalse();
        assertThat(refresh(first.getTokens().getRefreshToken()).indicatesSuccess()).isFalse();
    }

    @Test
    void codeWhenWrongVerifierThenInvalidGrant() throws Exception {
        Authorized a = authorize();
        TokenResponse r = TokenResponse.parse(new TokenRequest(token(), new ClientID(DASHBOARD),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), new CodeVerifier())).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) r).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void codeWhenExpiredThenInvalidGrant() throws Exception {
        Authorized a = authorize();
        sql("UPDATE auth.authorization_codes SET expires_at = now() - interval '1 second'");
        TokenResponse r = TokenResponse.parse(new TokenRequest(token(), new ClientID(DASHBOARD),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) r).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void codeWhenRedeemedByAnotherClientThenInvalidGrant() throws Exception {
        sql("INSERT INTO auth.clients (client_id, client_type, name, kind, redirect_uris, grant_types, scopes) "
                + "VALUES ('other-spa', 'public', 'Other', 'first_party', ARRAY['" + REDIRECT + "'], "
                + "ARRAY['authorization_code','refresh_token'], ARRAY['connectors:read','profiles:write']) ON CONFLICT DO NOTHING");
        Authorized a = authorize();
        TokenResponse r = TokenResponse.parse(new TokenRequest(token(), new ClientID("other-spa"),
                new AuthorizationCodeGrant(a.code(), URI.create(REDIRECT), a.verifier())).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) r).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void refreshWhenPresentedByAnotherClientThenInvalidGrantAndFamilyIntact() throws Exception {
        sql("INSERT INTO auth.clients (client_id, client_type, name, kind, redirect_uris, grant_types, scopes) "
                + "VALUES ('other-spa', 'public', 'Other', 'first_party', ARRAY['" + REDIRECT + "'], "
                + "ARRAY['authorization_code','refresh_token'], ARRAY['connectors:read','profiles:write']) ON CONFLICT DO NOTHING");
        RefreshToken rt = redeem(authorize()).getTokens().getRefreshToken();
        TokenResponse foreign = TokenResponse.parse(new TokenRequest(token(), new ClientID("other-spa"), new RefreshTokenGrant(rt))
                .toHTTPRequest().send());
        assertThat(((TokenErrorResponse) foreign).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(refresh(rt).indicatesSuccess()).as("the rightful client can still use it").isTrue();
    }

    @Test
    void refreshWhenReplayedAfterRotationThenFamilyRevoked() throws Exception {
        AccessTokenResponse t = redeem(authorize());
        RefreshToken rt1 = t.getTokens().getRefreshToken();
        AccessTokenResponse rotated = refresh(rt1).toSuccessResponse();
        RefreshToken rt2 = rotated.getTokens().getRefreshToken();
        TokenResponse replay = refresh(rt1);
        assertThat(((TokenErrorResponse) replay).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(refresh(rt2).indicatesSuccess()).as("the thief's replay ends the family for everyone").isFalse();
        assertThat(active(rotated.getTokens().getAccessToken())).isFalse();
    }

    @Test
    void refreshWhenFamilyLifetimeEndsThenInvalidGrantEvenIfTokenIsFresh() throws Exception {
        RefreshToken rt = redeem(authorize()).getTokens().getRefreshToken();
        sql("UPDATE auth.token_families SET expires_at = now() - interval '1 second'");
        assertThat(refresh(rt).indicatesSuccess()).isFalse();
    }

    @Test
    void codeWhen50ConcurrentRedemptionsThenExactlyOneTokenResponse() throws Exception {
        Authorized a = authorize();
        List<Integer> statuses = race(50, () -> postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", a.code().getValue(), "redirect_uri", REDIRECT, "client_id", DASHBOARD,
                "code_verifier", a.verifier().getValue()), null, null).status());
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(49);
    }

    @Test
    void refreshWhen50ConcurrentRotationsThenExactlyOneSuccessAndFamilyRevoked() throws Exception {
        RefreshToken rt = redeem(authorize()).getTokens().getRefreshToken();
        List<String> bodies = race(50, () -> postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "refresh_token", rt.getValue(), "client_id", DASHBOARD), null, null).body());
        List<String> winners = bodies.stream().filter(b -> b.contains("access_token")).toList();
        assertThat(winners).hasSize(1);
        assertThat(bodies.stream().filter(b -> b.contains("invalid_grant")).count()).isEqualTo(49);
        // The 49 losers presented a token that had just been used: by the rule, that is reuse,
        // and the family is revoked — including the winner's new refresh token.
        RefreshToken next = new RefreshToken(field(winners.get(0), "refresh_token"));
        assertThat(refresh(next).indicatesSuccess()).isFalse();
        assertThat(count("SELECT count(*) FROM auth.token_families WHERE revoked_at IS NULL AND user_id = "
                + "(SELECT id FROM auth.users WHERE email = ?) AND id IN (SELECT family_id FROM auth.refresh_tokens WHERE token_hash = ?)",
                email, io.linkguard.auth.account.Hashes.sha256(rt.getValue()))).isZero();
    }

    static <T> List<T> race(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }
}
