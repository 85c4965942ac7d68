package io.linkguard.auth.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per RFC error code of each endpoint, and the authorize endpoint's redirect rules. */
@MicronautTest(transactional = false)
class OAuthErrorsTest extends OAuthTestSupport {

    String email;
    String saId;
    String saSecret;

    @BeforeAll
    void accounts() {
        email = signup()[2];
        String[] owner = signup();
        String orgId = owner[0];
        // a service account, created through the API with an owner's token obtained by the real flow
        String ownerToken = ownerToken(owner[2]);
        Response sa = postJson("/api/orgs/" + orgId + "/service-accounts", ownerToken,
                "{\"name\":\"worker\",\"scopes\":[\"health:report\"]}");
        assertThat(sa.status()).as(sa.body()).isEqualTo(201);
        saId = field(sa.body(), "clientId");
        saSecret = field(sa.body(), "clientSecret");
    }

    String ownerToken(String ownerEmail) {
        CodeVerifier v = new CodeVerifier();
        Response login = browserLogin(authorizeUri(Map.of("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue())),
                ownerEmail, PASSWORD);
        String code = query(URI.create(login.header("Location"))).get("code");
        Response t = postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", DASHBOARD, "code_verifier", v.getValue()), null, null);
        return field(t.body(), "access_token");
    }

    URI authorizeUri(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT,
                "scope", "connectors:read admin", "state", "st-123", "code_challenge",
                CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue(), "code_challenge_method", "S256"));
        p.putAll(overrides);
        p.values().removeIf(v -> v == null || v.isEmpty());
        return URI.create(base() + "/oauth/authorize?" + form(p));
    }

    void assertOAuthError(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(field(r.body(), "error")).isEqualTo(code);
        assertThat(r.body()).contains("error_description");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    // ---- token endpoint

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        assertOAuthError(postForm("/oauth/token", Map.of("client_id", DASHBOARD), null, null), 400, "invalid_request");
    }

    @Test
    void tokenWhenSecretWrongThenInvalidClient401WithChallenge() {
        Response r = postForm("/oauth/token", Map.of("grant_type", "client_credentials"), saId, "wrong-secret");
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", "nobody"), null, null),
                401, "invalid_client");
    }

    @Test
    void tokenWhenClientUsesBasicAndPostAtOnceThenInvalidRequest() {
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_secret", saSecret), saId, saSecret),
                400, "invalid_request");
    }

    @Test
    void tokenWhenCodeUnknownThenInvalidGrant() {
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", "nope", "redirect_uri", REDIRECT,
                "client_id", DASHBOARD, "code_verifier", new CodeVerifier().getValue()), null, null), 400, "invalid_grant");
    }

    @Test
    void tokenWhenPublicClientAsksClientCredentialsThenUnauthorizedClient() {
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", DASHBOARD), null, null),
                400, "unauthorized_client");
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "password", "username", "a", "password", "b"), saId, saSecret),
                400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenScopeNotAllowedThenInvalidScope() {
        assertOAuthError(postForm("/oauth/token", Map.of("grant_type", "client_credentials", "scope", "admin"), saId, saSecret),
                400, "invalid_scope");
    }

    @Test
    void clientCredentialsWhenValidThenTokenWithOrgAndPostAuthWorksToo() {
        Response basic = postForm("/oauth/token", Map.of("grant_type", "client_credentials"), saId, saSecret);
        assertThat(basic.status()).isEqualTo(200);
        assertThat(field(basic.body(), "scope")).isEqualTo("health:report");
        assertThat(basic.body()).doesNotContain("refresh_token");
        Response post = postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", saId, "client_secret", saSecret),
                null, null);
        assertThat(post.status()).isEqualTo(200);
        Response me = get("/api/me", field(post.body(), "access_token"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains(saId);
    }

    // ---- revocation and introspection

    @Test
    void revokeWhenTokenMissingThenInvalidRequestAndBadHintUnsupportedTokenType() {
        assertOAuthError(postForm("/oauth/revoke", Map.of("client_id", DASHBOARD), null, null), 400, "invalid_request");
        assertOAuthError(postForm("/oauth/revoke", Map.of("client_id", DASHBOARD, "token", "x", "token_type_hint", "id_token"), null, null),
                400, "unsupported_token_type");
        assertOAuthError(postForm("/oauth/revoke", Map.of("token", "x"), saId, "wrong"), 401, "invalid_client");
        assertThat(postForm("/oauth/revoke", Map.of("client_id", DASHBOARD, "token", "unknown-token"), null, null).status())
                .as("unknown tokens are answered 200 (RFC 7009 §2.2)").isEqualTo(200);
    }

    @Test
    void introspectWhenPublicClientThenInvalidClientAndMissingTokenInvalidRequest() {
        assertOAuthError(postForm("/oauth/introspect", Map.of("client_id", DASHBOARD, "token", "x"), null, null), 401, "invalid_client");
        assertOAuthError(postForm("/oauth/introspect", Map.of(), "linkguard-api-gateway", INTERNAL_SECRET), 400, "invalid_request");
        Response garbage = postForm("/oauth/introspect", Map.of("token", "not-a-token"), "linkguard-api-gateway", INTERNAL_SECRET);
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.body()).isEqualTo("{\"active\":false}");
    }

    // ---- authorize endpoint

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() {
        Response r = get(authorizeUri(Map.of("redirect_uri", "http://localhost:8080/app/callback/evil")).toString().substring(base().length()), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
        assertThat(r.body()).contains("not registered");
        Response prefix = get(authorizeUri(Map.of("redirect_uri", "http://localhost:8080/app/callbac")).toString().substring(base().length()), null);
        assertThat(prefix.status()).isEqualTo(400);
    }

    @Test
    void authorizeWhenClientUnknownThenErrorPageAndNoRedirect() {
        Response r = get(authorizeUri(Map.of("client_id", "nobody")).toString().substring(base().length()), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
    }

    Map<String, String> redirected(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(REDIRECT + "?");
        return query(URI.create(r.header("Location")));
    }

    @Test
    void authorizeWhenPkcePlainOrMissingThenInvalidRequestRedirectWithState() {
        Map<String, String> plain = redirected(get(authorizeUri(Map.of("code_challenge_method", "plain")).toString().substring(base().length()), null));
        assertThat(plain.get("error")).isEqualTo("invalid_request");
        assertThat(plain.get("state")).isEqualTo("st-123");
        assertThat(plain.get("iss")).isEqualTo(ISSUER);
        Map<String, String> missing = redirected(get(authorizeUri(Map.of("code_challenge", "", "code_challenge_method", "")).toString()
                .substring(base().length()), null));
        assertThat(missing.get("error")).isEqualTo("invalid_request");
    }

    @Test
    void authorizeWhenResponseTypeTokenThenUnsupportedResponseType() {
        assertThat(redirected(get(authorizeUri(Map.of("response_type", "token")).toString().substring(base().length()), null))
                .get("error")).isEqualTo("unsupported_response_type");
    }

    @Test
    void authorizeWhenScopeUnknownThenInvalidScope() {
        assertThat(redirected(get(authorizeUri(Map.of("scope", "tokens:read")).toString().substring(base().length()), null))
                .get("error")).isEqualTo("invalid_scope");
    }

    @Test
    void loginWhenPasswordWrongOrAccountUnknownThenSameGenericMessage() {
        Response wrong = browserLogin(authorizeUri(Map.of()), email, "not the password");
        Response unknown = browserLogin(authorizeUri(Map.of()), "nobody-" + UUID.randomUUID() + "@example.test", "whatever123");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        String message = "Sign-in failed. Check your email and password and try again.";
        assertThat(wrong.body()).contains(message);
        assertThat(unknown.body()).contains(message);
        assertThat(wrong.header("Location")).isNull();
    }

    @Test
    void loginWhenCsrfCookieMissingThenFormAgainAndNoCode() {
        Response page = get(authorizeUri(Map.of()).toString().substring(base().length()), null);
        assertThat(page.header("Set-Cookie")).contains("lg_csrf=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        Map<String, String> formFields = new HashMap<>(query(authorizeUri(Map.of())));
        formFields.put("csrf", m.group(1));
        formFields.put("email", email);
        formFields.put("password", PASSWORD);
        Response r = postForm("/oauth/authorize", formFields, null, null); // no cookie: a cross-site POST
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Location")).isNull();
        assertThat(r.body()).contains("expired");
    }

    @Test
    void loginWhenRepeatedFailuresThenThrottledEvenWithRightPassword() {
        String[] victim = signup();
        for (int i = 0; i < 6; i++) {
            browserLogin(authorizeUri(Map.of()), victim[2], "wrong password " + i);
        }
        Response r = browserLogin(authorizeUri(Map.of()), victim[2], PASSWORD);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.body()).contains("Too many failed sign-ins");
        assertThat(r.header("Location")).isNull();
    }

    // ---- dynamic registration and consent

    @Test
    void registerWhenNoInitialAccessTokenThenInvalidToken() {
        Response r = postJson("/oauth/register", null, "{\"redirect_uris\":[\"https://app.example/cb\"]}");
        assertOAuthError(r, 401, "invalid_token");
    }

    @Test
    void registerWhenInitialAccessTokenWrongThenInvalidTokenAndBadRedirectThenInvalidRedirectUri() {
        assertOAuthError(postJson("/oauth/register", "not-the-token", "{\"redirect_uris\":[\"https://app.example/cb\"]}"),
                401, "invalid_token");
        assertOAuthError(postJson("/oauth/register", REGISTRATION_TOKEN, "{\"redirect_uris\":[\"http://app.example/cb\"]}"),
                400, "invalid_redirect_uri");
    }

    /** The README's third-party walk-through: register, consent, code + PKCE, token with client_secret_basic. */
    @Test
    void registerWhenTokenValidThenThirdPartyClientAsksConsentAndGetsTokens() {
        String redirect = "http://127.0.0.1:9999/callback";
        Response reg = postJson("/oauth/register", REGISTRATION_TOKEN, "{\"client_name\":\"My app\",\"redirect_uris\":[\""
                + redirect + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"connectors:read\"}");
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        assertThat(reg.header("Cache-Control")).isEqualTo("no-store");
        String appId = field(reg.body(), "client_id");
        String appSecret = field(reg.body(), "client_secret");
        assertThat(count("SELECT count(*) FROM auth.clients WHERE client_id = ? AND secret_hash <> ?", appId, appSecret))
                .as("the secret is stored hashed").isEqualTo(1);

        CodeVerifier v = new CodeVerifier();
        HttpClient browser = browser();
        Response consent = browserLogin(browser, authorizeUri(Map.of("client_id", appId, "redirect_uri", redirect,
                "scope", "connectors:read", "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue())),
                email, PASSWORD);
        assertThat(consent.status()).as("a third-party client asks the user first").isEqualTo(200);
        assertThat(consent.body()).contains("Allow My app?").contains("connectors:read");
        Map<String, String> approve = hiddenFields(consent.body());
        approve.put("decision", "approve");
        Response back = send(browser, HttpRequest.newBuilder(URI.create(base() + "/oauth/consent"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(approve))));
        assertThat(back.status()).isEqualTo(302);
        Map<String, String> q = query(URI.create(back.header("Location")));
        assertThat(back.header("Location")).startsWith(redirect + "?");
        assertThat(q).containsEntry("state", "st-123").containsEntry("iss", ISSUER).containsKey("code");

        Response t = postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", q.get("code"),
                "redirect_uri", redirect, "code_verifier", v.getValue()), appId, appSecret);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(field(t.body(), "refresh_token")).isNotBlank();
        assertThat(field(t.body(), "scope")).isEqualTo("connectors:read");
    }

    @Test
    void metadataWhenFetchedThenAdvertisesS256AndIssuer() {
        Response r = get("/.well-known/oauth-authorization-server", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(field(r.body(), "issuer")).isEqualTo(ISSUER);
        assertThat(r.body()).contains("\"code_challenge_methods_supported\":[\"S256\"]")
                .contains("\"authorization_response_iss_parameter_supported\":true");
        assertThat(get("/.well-known/openid-configuration", null).status()).isEqualTo(200);
        Response jwks = get("/oauth/jwks", null);
        assertThat(jwks.body()).contains("\"kty\":\"EC\"").doesNotContain("\"d\":");
    }
}
