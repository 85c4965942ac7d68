package io.linkguard.auth.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party client gets only the scopes it registered with, each named in plain words on the
 * consent page; account:write is for first-party clients only.
 */
@MicronautTest(transactional = false)
class ConsentScopesTest extends OAuthTestSupport {

    static final String APP_REDIRECT = "http://127.0.0.1:9999/callback";

    String email;

    @BeforeAll
    void account() {
        email = signup()[2];
    }

    String register(String scope) {
        Response reg = postJson("/oauth/register", REGISTRATION_TOKEN, "{\"client_name\":\"Acme Sync\",\"redirect_uris\":[\""
                + APP_REDIRECT + "\"],\"scope\":\"" + scope + "\"}");
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        return field(reg.body(), "client_id");
    }

    URI authorize(String clientId, String redirect, String scope) {
        Map<String, String> p = new HashMap<>(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirect,
                "scope", scope, "state", "st-9", "code_challenge_method", "S256",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue()));
        return URI.create(base() + "/oauth/authorize?" + form(p));
    }

    static void assertInvalidScopeRedirect(Response r, String redirect) {
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(redirect + "?");
        Map<String, String> q = query(URI.create(r.header("Location")));
        assertThat(q).containsEntry("error", "invalid_scope").containsEntry("state", "st-9").doesNotContainKey("code");
    }

    @Test
    void authorizeWhenThirdPartyAsksForAScopeItDidNotRegisterThenInvalidScopeRedirect() {
        String app = register("connectors:read");
        assertInvalidScopeRedirect(send(http, java.net.http.HttpRequest.newBuilder(
                authorize(app, APP_REDIRECT, "connectors:read profiles:write")).GET()), APP_REDIRECT);
        assertInvalidScopeRedirect(send(http, java.net.http.HttpRequest.newBuilder(
                authorize(app, APP_REDIRECT, "account:write")).GET()), APP_REDIRECT);
    }

    @Test
    void authorizeWhenClientRowListsAccountWriteButIsThirdPartyThenInvalidScopeRedirect() {
        String app = register("connectors:read");
        sql("UPDATE auth.clients SET scopes = array_append(scopes, 'account:write') WHERE client_id = ?", app);
        assertInvalidScopeRedirect(send(http, java.net.http.HttpRequest.newBuilder(
                authorize(app, APP_REDIRECT, "account:write")).GET()), APP_REDIRECT);
    }

    @Test
    void consentWhenThirdPartyAsksThenEachScopeInPlainWords() {
        String app = register("connectors:read profiles:write automation:write");
        Response consent = browserLogin(authorize(app, APP_REDIRECT, "connectors:read profiles:write automation:write"),
                email, PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("Allow Acme Sync?")
                .contains("See the status of your connections")
                .contains("Add and remove your connections, and start connecting accounts")
                .contains("Pause and resume your automation")
                .doesNotContain("Delete your Linkguard account");
    }

    @Test
    void consentWhenClientNameHasMarkupThenEscaped() {
        Response reg = postJson("/oauth/register", REGISTRATION_TOKEN, "{\"client_name\":\"<script>x</script>\",\"redirect_uris\":[\""
                + APP_REDIRECT + "\"],\"scope\":\"connectors:read\"}");
        String app = field(reg.body(), "client_id");
        Response consent = browserLogin(authorize(app, APP_REDIRECT, "connectors:read"), email, PASSWORD);
        assertThat(consent.body()).doesNotContain("<script>x").contains("&lt;script&gt;x");
    }

    @Test
    void registerWhenAccountWriteOrInternalRequestedThenInvalidClientMetadata() {
        for (String scope : new String[] {"account:write", "connectors:read account:write", "internal"}) {
            Response r = postJson("/oauth/register", REGISTRATION_TOKEN, "{\"redirect_uris\":[\"" + APP_REDIRECT
                    + "\"],\"scope\":\"" + scope + "\"}");
            assertThat(r.status()).as(scope + ": " + r.body()).isEqualTo(400);
            assertThat(field(r.body(), "error")).isEqualTo("invalid_client_metadata");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void authorizeWhenDashboardAsksForAccountWriteThenNoConsentAndTokenCarriesIt() {
        CodeVerifier v = new CodeVerifier();
        Map<String, String> p = new HashMap<>(Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT,
                "scope", "connectors:read account:write", "state", "st-9", "code_challenge_method", "S256",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue()));
        Response login = browserLogin(URI.create(base() + "/oauth/authorize?" + form(p)), email, PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        String code = query(URI.create(login.header("Location"))).get("code");
        Response t = postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", DASHBOARD, "code_verifier", v.getValue()), null, null);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(field(t.body(), "scope")).isEqualTo("connectors:read account:write");
    }
}
