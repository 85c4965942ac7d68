package io.linkguard.auth.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** auth-server's HTML pages cannot be framed, sniffed or leak a referrer; JSON is never sniffed. */
@MicronautTest(transactional = false)
class SecurityHeadersTest extends OAuthTestSupport {

    URI authorizeUri(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT,
                "scope", "connectors:read", "state", "st-1", "code_challenge",
                CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue(), "code_challenge_method", "S256"));
        p.putAll(overrides);
        return URI.create(base() + "/oauth/authorize?" + form(p));
    }

    static void assertHtmlHeaders(Response r, String what) {
        assertThat(r.header("Content-Type")).as(what).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'");
        assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).as(what).isIn("same-origin", "no-referrer");
    }

    @Test
    void pagesWhenSignInErrorOrConnectThenSecurityHeaders() {
        Response login = get(authorizeUri(Map.of()).toString().substring(base().length()), null);
        assertThat(login.status()).isEqualTo(200);
        assertHtmlHeaders(login, "sign-in page");
        // the sign-in form posts back to its own origin: Origin must not be null (see application.yml)
        assertThat(login.header("Referrer-Policy")).isEqualTo("same-origin");

        Response wrongPassword = browserLogin(authorizeUri(Map.of()), "nobody@example.com", "not the password");
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertHtmlHeaders(wrongPassword, "sign-in page after a wrong password");

        Response unknownClient = get(authorizeUri(Map.of("client_id", "nobody")).toString().substring(base().length()), null);
        assertThat(unknownClient.status()).isEqualTo(400);
        assertHtmlHeaders(unknownClient, "authorize error page");

        Response connect = get("/connect/not-a-real-token", null);
        assertThat(connect.status()).isGreaterThanOrEqualTo(400);
        assertHtmlHeaders(connect, "connect error page");
    }

    @Test
    void jsonAndErrorsWhenAnyThenNosniff() {
        for (String path : new String[] {"/oauth/jwks", "/.well-known/oauth-authorization-server", "/api/nothing-here", "/health"}) {
            Response r = get(path, null);
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
        }
    }
}
