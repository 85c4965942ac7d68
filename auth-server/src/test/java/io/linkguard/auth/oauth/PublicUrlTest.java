package io.linkguard.auth.oauth;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.linkguard.auth.connect.ConnectConfiguration;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment names only its public URL (LINKGUARD_PUBLIC_URL): the token issuer, the dashboard's
 * registered redirect URI, the connect callback and the discovery document all follow it. The sign-in
 * cookies are then {@code Secure}, which a client on plain http does not send back by itself: the
 * browser here hands them over as a TLS-terminating proxy in front of the gateway would.
 */
@MicronautTest(transactional = false)
class PublicUrlTest extends OAuthTestSupport {

    static final String PUBLIC = "https://linkguard.example.test";

    @Inject
    ConnectConfiguration connect;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        // nothing but the environment variable a deployment sets: no issuer, no redirect URIs
        p.remove("linkguard.security.issuer");
        p.remove("linkguard.public-url");
        p.remove("linkguard.auth.dashboard-redirect-uris");
        p.put("LINKGUARD_PUBLIC_URL", PUBLIC);
        return p;
    }

    URI authorize(String redirect, CodeVerifier verifier) {
        return URI.create(base() + "/oauth/authorize?" + form(Map.of("response_type", "code", "client_id", DASHBOARD,
                "redirect_uri", redirect, "scope", "connectors:read", "state", "st-1",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(),
                "code_challenge_method", "S256")));
    }

    /** The sign-in form round trip, carrying the form's (Secure) cookies back by hand. */
    static Response secureBrowserLogin(OAuthTestSupport t, URI authorizeUri, String email, String password) {
        Response page = t.send(t.http, java.net.http.HttpRequest.newBuilder(authorizeUri).GET());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).contains("Secure"));
        String cookies = page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .collect(java.util.stream.Collectors.joining("; "));
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("email", email);
        fields.put("password", password);
        return t.send(t.http, java.net.http.HttpRequest.newBuilder(URI.create(t.base() + "/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    @Test
    void signInWhenOnlyThePublicUrlIsSetThenDashboardCallbackAndIssuerFollowIt() throws Exception {
        String email = signup()[2];
        CodeVerifier verifier = new CodeVerifier();
        Response login = secureBrowserLogin(this, authorize(PUBLIC + "/app/callback", verifier), email, PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        URI back = URI.create(login.header("Location"));
        assertThat(back.toString()).startsWith(PUBLIC + "/app/callback?");
        assertThat(query(back).get("iss")).isEqualTo(PUBLIC);

        Response token = postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", query(back).get("code"),
                "redirect_uri", PUBLIC + "/app/callback", "client_id", DASHBOARD, "code_verifier", verifier.getValue()), null, null);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(field(token.body(), "access_token")).getJWTClaimsSet().getIssuer()).isEqualTo(PUBLIC);
    }

    @Test
    void authorizeWhenTheLocalhostDefaultIsAskedThenItIsNotRegistered() {
        Response r = get(authorize("http://localhost:8080/app/callback", new CodeVerifier()).toString().substring(base().length()), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
        assertThat(r.body()).contains("not registered");
    }

    @Test
    void discoveryAndConnectCallbackWhenOnlyThePublicUrlIsSetThenUnderIt() {
        Response metadata = get("/.well-known/oauth-authorization-server", null);
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(field(metadata.body(), "issuer")).isEqualTo(PUBLIC);
        assertThat(field(metadata.body(), "authorization_endpoint")).isEqualTo(PUBLIC + "/oauth/authorize");
        assertThat(connect.redirectUri()).isEqualTo(PUBLIC + "/connect/callback");
    }

    /** Each derived setting can still be named on its own. */
    @Nested
    @MicronautTest(transactional = false)
    class Overrides extends OAuthTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            Map<String, String> p = new HashMap<>(super.extraProperties());
            p.remove("linkguard.security.issuer");
            p.remove("linkguard.public-url");
            p.remove("linkguard.auth.dashboard-redirect-uris");
            p.put("LINKGUARD_PUBLIC_URL", PUBLIC);
            p.put("linkguard.issuer", "https://id.example.test");   // what LINKGUARD_ISSUER binds
            p.put("LINKGUARD_DASHBOARD_REDIRECT_URIS", "https://console.example.test/app/callback, " + PUBLIC + "/app/callback");
            return p;
        }

        @Test
        void signInWhenIssuerAndRedirectUrisAreSetThenTheyWinOverThePublicUrl() {
            String email = signup()[2];
            CodeVerifier verifier = new CodeVerifier();
            URI authorize = URI.create(base() + "/oauth/authorize?" + form(Map.of("response_type", "code", "client_id", DASHBOARD,
                    "redirect_uri", "https://console.example.test/app/callback", "scope", "connectors:read", "state", "st-1",
                    "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(),
                    "code_challenge_method", "S256")));
            Response login = secureBrowserLogin(this, authorize, email, PASSWORD);
            assertThat(login.status()).as(login.body()).isEqualTo(302);
            assertThat(query(URI.create(login.header("Location"))).get("iss")).isEqualTo("https://id.example.test");
            assertThat(field(get("/.well-known/oauth-authorization-server", null).body(), "issuer"))
                    .isEqualTo("https://id.example.test");
        }
    }
}
