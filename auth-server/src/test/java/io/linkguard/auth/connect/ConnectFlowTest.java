package io.linkguard.auth.connect;

import io.linkguard.auth.profile.ProfileTestSupport;
import io.linkguard.auth.profile.StubService;
import io.linkguard.mock.MockProvider;
import io.linkguard.mock.MockProviderConfig;
import io.linkguard.mock.Quirk;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connect flow end to end against the in-process mock provider, with token-refresher and
 * connector-health played by recording stubs.
 */
@MicronautTest(transactional = false)
class ConnectFlowTest extends ProfileTestSupport {

    static final String PUBLIC_URL = "https://linkguard.example";

    static final String ORG_APP_CLIENT = "org-own-app";
    static final String ORG_APP_SECRET = "org-own-app-secret-value";
    static final String SECRET_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    final MockProvider mock = MockProvider.start(MockProviderConfig.builder().client(ORG_APP_CLIENT, ORG_APP_SECRET).build());
    final StubService refresher = new StubService();
    final StubService health = new StubService();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    @Override
    protected Map<String, String> moreProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("linkguard.providers.mock.base-url", mock.baseUrl());
        p.put("linkguard.providers.mock.client-id", MockProviderConfig.DEFAULT_CLIENT_ID);
        p.put("linkguard.providers.mock.client-secret", MockProviderConfig.DEFAULT_CLIENT_SECRET);
        p.put("linkguard.connect.public-url", PUBLIC_URL);
        p.put("linkguard.connect.refresher-url", refresher.url());
        p.put("linkguard.connect.health-url", health.url());
        p.put("linkguard.connect.report-interval", "200ms");
        p.put("linkguard.profiles.secret-keys", "k1:" + SECRET_KEY);
        p.put("linkguard.profiles.active-secret-key", "k1");
        // a deployment-added provider: the same mock, but with client_secret_post and no PKCE
        p.put("linkguard.provider-catalog.file", catalogFile());
        p.put("linkguard.providers.mockpost.client-id", MockProviderConfig.DEFAULT_CLIENT_ID);
        p.put("linkguard.providers.mockpost.client-secret", MockProviderConfig.DEFAULT_CLIENT_SECRET);
        for (String key : List.of("mockgh", "mocktenant", "mockjson")) {
            p.put("linkguard.providers." + key + ".client-id", MockProviderConfig.DEFAULT_CLIENT_ID);
            p.put("linkguard.providers." + key + ".client-secret", MockProviderConfig.DEFAULT_CLIENT_SECRET);
        }
        return p;
    }

    @BeforeEach
    void resetStubs() {
        mock.reset();
        refresher.answer(200, "{\"authProfileId\":\"x\",\"version\":1}");
        refresher.clear();
        health.answer(200, "{\"results\":[\"applied\"]}");
        health.clear();
    }

    @AfterAll
    void stopStubs() {
        mock.close();
        refresher.close();
        health.close();
    }

    @Test
    void connectWhenProviderApprovesThenActiveCredentialHandedOverAndHealthReported() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\",\"displayName\":\"Mock\"}");
        String profileId = (String) profile(created).get("id");

        // 1. the connect link redirects to the provider with state and PKCE
        HttpResponse<String> start = continueLink(path((String) created.get("connectUrl")));
        assertThat(start.statusCode()).isEqualTo(303);
        assertThat(start.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(mock.authorizationEndpoint() + "?");
        Map<String, String> q = query(authorize);
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", MockProviderConfig.DEFAULT_CLIENT_ID)
                .containsEntry("redirect_uri", PUBLIC_URL + "/connect/callback").containsEntry("scope", "read write")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "code_challenge");

        // 2. the provider approves and sends the browser back
        URI callback = followProvider(authorize);
        assertThat(callback.toString()).startsWith(PUBLIC_URL + "/connect/callback?");

        // 3. the callback finishes and lands on the dashboard
        HttpResponse<String> done = get(path(callback.toString()));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location")).contains(PUBLIC_URL + "/app/?connected=mock");

        Map<String, Object> p = getProfile(alice, profileId);
        assertThat(p).containsEntry("status", "active");
        assertThat((List<Object>) p.get("grantedScopes")).containsExactly("read", "write");
        assertThat((List<Object>) p.get("missingScopes")).isEmpty();
        assertThat(p.get("connectedAt")).isNotNull();

        assertThat(refresher.received()).hasSize(1);
        StubService.Received put = refresher.received().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/internal/credentials/" + profileId);
        assertInternalToken(put.authorization());
        Map<String, Object> credential = json.readValue(put.body(), Argument.mapOf(String.class, Object.class));
        assertThat(credential).containsEntry("orgId", alice.orgId().toString()).containsEntry("userId", alice.userId().toString())
                .containsEntry("connectorKey", "mock").containsEntry("providerKey", "mock").containsEntry("tokenType", "Bearer")
                .containsKeys("accessToken", "refreshToken", "expiresAt");
        assertThat(mock.isAccessTokenActive((String) credential.get("accessToken"))).isTrue();

        // (other tests' undelivered reports may arrive here too: the outbox retries them)
        List<StubService.Received> mine = health.received().stream().filter(r -> r.body().contains(profileId)).toList();
        assertThat(mine).hasSize(1);
        StubService.Received report = mine.get(0);
        assertInternalToken(report.authorization());
        assertThat(report.path()).isEqualTo("/internal/health/reports");
        List<Map<String, Object>> reports = json.readValue(report.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
        assertThat(reports).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("orgId", alice.orgId().toString()).containsEntry("userId", alice.userId().toString())
                .containsEntry("connector", "mock").containsEntry("outcome", "success")
                .containsEntry("authProfileId", profileId).containsKey("observedAt"));
    }

    @Test
    void connectWhenProviderGrantsFewerScopesThenMissingScopesVisible() throws IOException {
        Account alice = newOrg("member");
        mock.denyScopes(List.of("write"));
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String profileId = (String) profile(created).get("id");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);

        Map<String, Object> p = getProfile(alice, profileId);
        assertThat(p).containsEntry("status", "active");
        assertThat((List<Object>) p.get("requestedScopes")).containsExactly("read", "write");
        assertThat((List<Object>) p.get("grantedScopes")).containsExactly("read");
        assertThat((List<Object>) p.get("missingScopes")).containsExactly("write");
    }

    @Test
    void connectWhenUserDeniesThenClearPageAndProfileStaysPending() throws IOException {
        Account alice = newOrg("member");
        mock.failAuthorizations("access_denied");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String profileId = (String) profile(created).get("id");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        assertThat(query(callback)).containsEntry("error", "access_denied");

        HttpResponse<String> page = get(path(callback.toString()));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("access was not granted").contains("You declined access");
        assertThat(getProfile(alice, profileId)).containsEntry("status", "pending_auth");
        assertThat(refresher.received()).isEmpty();
        assertThat(health.received()).isEmpty();
        assertThat(mock.tokenRequests("authorization_code")).isZero();
    }

    @Test
    void callbackWhenStateReplayedThenSecondIsRefusedAndNothingMoreHappens() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);

        HttpResponse<String> replay = get(path(callback.toString()));
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(replay.body()).contains("already used or has expired");
        assertThat(refresher.received()).hasSize(1);
        assertThat(mock.tokenRequests("authorization_code")).isEqualTo(1);
    }

    @Test
    void callbackWhenStateUnknownOrMissingThen400Page() {
        assertThat(get("/connect/callback?state=forged&code=abc").statusCode()).isEqualTo(400);
        assertThat(get("/connect/callback?code=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void startWhenConnectLinkUsedTwiceThenSecondIs410Page() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String link = path((String) created.get("connectUrl"));
        ConfirmPage page = open(link);
        assertThat(page.submit().statusCode()).isEqualTo(303);
        HttpResponse<String> again = page.submit();
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("expired or was already used");
        assertThat(get(link).statusCode()).isEqualTo(410);
        assertThat(get("/connect/not-a-real-token").statusCode()).isEqualTo(410);
    }

    @Test
    void openWhenLinkFollowedThenPageNamesAccountOrgAndProviderAndDoesNotUseTheLink() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\",\"displayName\":\"<b>My</b> mock\"}");
        String link = path((String) created.get("connectUrl"));
        for (int i = 0; i < 3; i++) { // a link-preview bot, then the user, opening it again and again
            HttpResponse<String> r = get(link);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(alice.userId() + "@example.test").contains("Continue to Mock provider (dev only)")
                    .contains("&lt;b&gt;My&lt;/b&gt; mock").doesNotContain("<b>My</b>");
            assertThat(r.body()).contains("org-" + alice.orgId());
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            // no referrer to other sites (same-origin: a no-referrer page's form POST carries "Origin: null")
            assertThat(r.headers().firstValue("Referrer-Policy")).contains("same-origin");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                    .startsWith(ConnectController.CSRF_COOKIE + "=").containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict").containsIgnoringCase("Secure"));
        }
        assertThat(count("SELECT count(*) FROM auth.connect_tokens WHERE auth_profile_id = ? AND used_at IS NOT NULL",
                java.util.UUID.fromString((String) profile(created).get("id")))).isZero();
        assertThat(redirectOf(open(link).submit()).toString()).startsWith(mock.authorizationEndpoint() + "?");
    }

    @Test
    void startWhenCsrfMissingOrWrongThen403PageAndLinkStillUsable() throws IOException {
        Account alice = newOrg("member");
        String link = path((String) create(alice, "{\"connectorKey\":\"mock\"}").get("connectUrl"));
        ConfirmPage page = open(link);
        // no cookie (a cross-site POST: the SameSite=Strict cookie stays home), no field, wrong field
        assertForbidden(postForm(link, null, Map.of("csrf", page.csrf())));
        assertForbidden(postForm(link, page.cookie(), Map.of()));
        assertForbidden(postForm(link, page.cookie(), Map.of("csrf", page.csrf() + "x")));
        // a CSRF value from another link's page does not fit this one
        ConfirmPage other = open(path((String) create(newOrg("member"), "{\"connectorKey\":\"mock\"}").get("connectUrl")));
        assertForbidden(postForm(link, other.cookie(), Map.of("csrf", other.csrf())));
        // nothing was used up
        assertThat(page.submit().statusCode()).isEqualTo(303);
    }

    static void assertForbidden(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("This page expired");
    }

    @Test
    void callbackWhenCodeRejectedByProviderThenPageAndProfileStaysPending() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String profileId = (String) profile(created).get("id");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        Map<String, String> q = query(callback);
        HttpResponse<String> page = get("/connect/callback?state=" + enc(q.get("state")) + "&code=bogus-code");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("did not accept the sign-in").contains("invalid_grant");
        assertThat(getProfile(alice, profileId)).containsEntry("status", "pending_auth");
        assertThat(refresher.received()).isEmpty();
    }

    @Test
    void callbackWhenRefresherFailsThenProfileNotActiveAndNoHealthReport() throws IOException {
        Account alice = newOrg("member");
        refresher.answer(500, "{}");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String profileId = (String) profile(created).get("id");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        HttpResponse<String> page = get(path(callback.toString()));
        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.body()).contains("could not be saved");
        assertThat(getProfile(alice, profileId)).containsEntry("status", "pending_auth");
        assertThat(health.received()).isEmpty();
    }

    @Test
    void reconnectWhenNeedsReauthThenSameProfileBecomesActiveAgain() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String profileId = (String) profile(created).get("id");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);
        sql("UPDATE auth.auth_profiles SET status = 'needs_reauth', error_code = 'invalid_grant' WHERE id = ?::uuid", profileId);

        HttpResponse<String> r = send("POST", URI.create(server.getURL() + "/api/auth-profiles/" + profileId + "/reconnect"),
                token(alice), null);
        Map<String, Object> again = json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
        URI callback2 = followProvider(redirectOf(continueLink(path((String) again.get("connectUrl")))));
        assertThat(get(path(callback2.toString())).statusCode()).isEqualTo(302);

        Map<String, Object> p = getProfile(alice, profileId);
        assertThat(p).containsEntry("status", "active").containsEntry("errorCode", null);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE created_by = ?", alice.userId())).isEqualTo(1);
        assertThat(refresher.received()).extracting(StubService.Received::path)
                .containsOnly("/internal/credentials/" + profileId).hasSize(2);
    }

    @Test
    void connectWhenOrgHasOwnOAuthAppThenItsClientIsUsedAndSecretStoredEncrypted() throws IOException {
        Account admin = newOrg("admin");
        Account alice = newUser(admin.orgId(), "member");
        HttpResponse<String> app = send("POST", URI.create(server.getURL() + "/api/auth-profiles"), token(admin),
                "{\"connectorKey\":\"mock\",\"profileKind\":\"oauth_app\",\"clientId\":\"" + ORG_APP_CLIENT
                        + "\",\"clientSecret\":\"" + ORG_APP_SECRET + "\"}");
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        assertThat(app.body()).doesNotContain(ORG_APP_SECRET);
        Map<String, Object> appProfile = profile(json.readValue(app.body(), Argument.mapOf(String.class, Object.class)));
        assertThat(appProfile).containsEntry("profileKind", "oauth_app").containsEntry("status", "active")
                .containsEntry("shared", true);
        assertThat(count("SELECT count(*) FROM auth.auth_profile_secrets WHERE auth_profile_id = ?::uuid AND key_id = 'k1'"
                + " AND client_id = ? AND position(convert_to(?, 'UTF8') in ciphertext) = 0",
                appProfile.get("id"), ORG_APP_CLIENT, ORG_APP_SECRET)).isEqualTo(1);

        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        URI authorize = redirectOf(continueLink(path((String) created.get("connectUrl"))));
        assertThat(query(authorize)).containsEntry("client_id", ORG_APP_CLIENT);
        URI callback = followProvider(authorize);
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);
        assertThat(getProfile(alice, (String) profile(created).get("id"))).containsEntry("status", "active");
        // token-refresher is told which client issued the tokens, so refresh uses that very client
        assertThat(refresher.received()).anyMatch(r -> r.body().contains("\"clientId\":\"" + ORG_APP_CLIENT + "\""));
    }

    @Test
    void callbackWhenConnectorHealthIsDownThenTheConnectedReportIsDeliveredLaterFromTheOutbox() throws Exception {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        health.answer(503, "{}");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);
        String profileId = (String) profile(created).get("id");
        assertThat(count("SELECT count(*) FROM auth.health_report_outbox WHERE delivered_at IS NULL AND body LIKE ?",
                "%" + profileId + "%")).isEqualTo(1);
        health.answer(200, "{\"results\":[\"applied\"]}");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM auth.health_report_outbox WHERE delivered_at IS NOT NULL AND body LIKE ?",
                "%" + profileId + "%") == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(50).toNanos());
        }
        assertThat(count("SELECT count(*) FROM auth.health_report_outbox WHERE delivered_at IS NOT NULL AND body LIKE ?",
                "%" + profileId + "%")).isEqualTo(1);
        assertThat(health.received()).filteredOn(r -> r.body().contains(profileId)).hasSizeGreaterThanOrEqualTo(2);
        // a queued report goes with its user: it can never re-create a deleted user's health rows
        health.answer(503, "{}");
        Account bob = newUser(alice.orgId(), "member");
        Map<String, Object> bobs = create(bob, "{\"connectorKey\":\"mock\"}");
        get(path(followProvider(redirectOf(continueLink(path((String) bobs.get("connectUrl"))))).toString()));
        sql("DELETE FROM auth.auth_profiles WHERE created_by = ?", bob.userId());   // as UserDeletionService does first
        sql("DELETE FROM auth.users WHERE id = ?", bob.userId());
        assertThat(count("SELECT count(*) FROM auth.health_report_outbox WHERE user_id = ?", bob.userId())).isZero();
        health.answer(200, "{\"results\":[\"applied\"]}");
    }

    /** Refresh uses exactly what connect used: token-refresher asks for the org's client, configured once. */
    @Test
    void tokenClientWhenOrgHasOwnOAuthAppThenRefresherGetsTheOrgsClientElseTheDeployments() throws IOException {
        Account admin = newOrg("admin");
        assertThat(send("POST", URI.create(server.getURL() + "/api/auth-profiles"), token(admin),
                "{\"connectorKey\":\"mock\",\"profileKind\":\"oauth_app\",\"clientId\":\"" + ORG_APP_CLIENT
                        + "\",\"clientSecret\":\"" + ORG_APP_SECRET + "\"}").statusCode()).isEqualTo(201);
        String internal = internalToken("linkguard-token-refresher");
        HttpResponse<String> org = send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId="
                + admin.orgId()), internal, null);
        assertThat(org.statusCode()).as(org.body()).isEqualTo(200);
        assertThat(org.body()).contains("\"clientId\":\"" + ORG_APP_CLIENT + "\"").contains("\"clientSecret\":\"" + ORG_APP_SECRET)
                .contains("\"tokenUrl\":\"" + mock.tokenEndpoint() + "\"").contains("\"source\":\"org_app\"");
        HttpResponse<String> other = send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId="
                + newOrg("member").orgId()), internal, null);
        assertThat(other.body()).contains("\"clientId\":\"" + MockProviderConfig.DEFAULT_CLIENT_ID + "\"")
                .contains("\"source\":\"deployment\"");
        // pinned to the client a connection was made with: the deployment's still answers for a connection
        // made before the org added its app; a client that is no longer configured is not swapped for another
        HttpResponse<String> pinned = send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId="
                + admin.orgId() + "&clientId=" + MockProviderConfig.DEFAULT_CLIENT_ID), internal, null);
        assertThat(pinned.body()).contains("\"clientId\":\"" + MockProviderConfig.DEFAULT_CLIENT_ID + "\"")
                .contains("\"source\":\"deployment\"");
        assertThat(send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId=" + admin.orgId()
                + "&clientId=" + ORG_APP_CLIENT), internal, null).body()).contains("\"source\":\"org_app\"");
        HttpResponse<String> gone = send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId="
                + admin.orgId() + "&clientId=deleted-app"), internal, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).doesNotContain(ORG_APP_SECRET).doesNotContain(MockProviderConfig.DEFAULT_CLIENT_SECRET);
        // a provider with no client anywhere, an unknown provider, and a caller that is not a service
        assertThat(send("GET", URI.create(server.getURL() + "/internal/providers/gitlab/token-client?orgId=" + admin.orgId()),
                internal, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", URI.create(server.getURL() + "/internal/providers/nope/token-client?orgId=" + admin.orgId()),
                internal, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", URI.create(server.getURL() + "/internal/providers/mock/token-client?orgId=" + admin.orgId()),
                token(admin), null).statusCode()).isEqualTo(403);
    }

    @Test
    void connectWhenOtherOrgHasAppThenDeploymentClientIsUsed() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        URI authorize = redirectOf(continueLink(path((String) created.get("connectUrl"))));
        assertThat(query(authorize)).containsEntry("client_id", MockProviderConfig.DEFAULT_CLIENT_ID);
    }

    @Test
    void startWhenTenSimultaneousUsesOfOneLinkThenExactlyOneRedirects() throws Exception {
        Account alice = newOrg("member");
        String link = path((String) create(alice, "{\"connectorKey\":\"mock\"}").get("connectUrl"));
        ConfirmPage page = open(link);
        List<HttpResponse<String>> answers = concurrently(10, page::submit);
        assertThat(answers).filteredOn(a -> a.statusCode() == 303).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() == 410).hasSize(9);
    }

    @Test
    void callbackWhenTenSimultaneousWithOneStateThenExactlyOneConnects() throws Exception {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mock\"}");
        String callback = path(followProvider(redirectOf(continueLink(path((String) created.get("connectUrl"))))).toString());
        List<HttpResponse<String>> answers = concurrently(10, () -> get(callback));
        assertThat(answers).filteredOn(a -> a.statusCode() == 302).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() == 400).hasSize(9);
        assertThat(refresher.received()).hasSize(1);
        assertThat(health.received()).hasSize(1);
        assertThat(mock.tokenRequests("authorization_code")).isEqualTo(1);
    }

    @Test
    void connectWhenProviderFromCatalogFileUsesPostAuthWithoutPkceThenActive() throws IOException {
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mockpost\"}");
        URI authorize = redirectOf(continueLink(path((String) created.get("connectUrl"))));
        assertThat(query(authorize)).doesNotContainKey("code_challenge").containsEntry("scope", "read,write")
                .containsEntry("prompt", "consent");
        URI callback = followProvider(authorize);
        assertThat(get(path(callback.toString())).statusCode()).isEqualTo(302);
        assertThat(getProfile(alice, (String) profile(created).get("id"))).containsEntry("status", "active");
    }

    // ------------------------------------------------------------ provider quirks, against the mock imitating them

    @Test
    void callbackWhenProviderRefusesWithErrorIn200ThenRefusedPageAndNothingStored() throws IOException {
        mock.quirks(Set.of(Quirk.ERRORS_IN_OK_BODY));
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mockgh\"}");
        URI callback = followProvider(redirectOf(continueLink(path((String) created.get("connectUrl")))));
        HttpResponse<String> page = get("/connect/callback?state=" + enc(query(callback).get("state")) + "&code=bogus-code");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("did not accept the sign-in").contains("invalid_grant");
        assertThat(getProfile(alice, (String) profile(created).get("id"))).containsEntry("status", "pending_auth");
        assertThat(refresher.received()).isEmpty();
    }

    /** Slack: every answer a 200 with "ok", scopes comma-separated, no expiry, credentials in the body. */
    @Test
    void connectWhenSlackStyleAnswersThenActiveWithoutExpiryAndOkFalseIsRefused() throws IOException {
        mock.quirks(Set.of(Quirk.OK_FALSE_ENVELOPE, Quirk.COMMA_SCOPES, Quirk.NO_EXPIRY, Quirk.CLIENT_AUTH_POST_ONLY));
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mockgh\"}");
        String profileId = (String) profile(created).get("id");
        URI authorize = redirectOf(continueLink(path((String) created.get("connectUrl"))));
        assertThat(query(authorize)).containsEntry("scope", "read,write");
        HttpResponse<String> done = get(path(followProvider(authorize).toString()));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        Map<String, Object> p = getProfile(alice, profileId);
        assertThat(p).containsEntry("status", "active");
        assertThat((List<Object>) p.get("grantedScopes")).containsExactly("read", "write");
        Map<String, Object> credential = json.readValue(refresher.received().get(0).body(), Argument.mapOf(String.class, Object.class));
        assertThat(credential.get("expiresAt")).isNull();
        assertThat(mock.isAccessTokenActive((String) credential.get("accessToken"))).isTrue();

        Map<String, Object> second = create(newOrg("member"), "{\"connectorKey\":\"mockgh\"}");
        URI callback = followProvider(redirectOf(continueLink(path((String) second.get("connectUrl")))));
        HttpResponse<String> refused = get("/connect/callback?state=" + enc(query(callback).get("state")) + "&code=bogus-code");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid_code");
    }

    @Test
    void connectWhenProviderAcceptsOnlyBasicThenBasicEntryWorksAndPostEntryIsRefused() throws IOException {
        mock.quirks(Set.of(Quirk.CLIENT_AUTH_BASIC_ONLY));
        Account alice = newOrg("member");
        Map<String, Object> basic = create(alice, "{\"connectorKey\":\"mock\"}");
        assertThat(get(path(followProvider(redirectOf(continueLink(path((String) basic.get("connectUrl"))))).toString()))
                .statusCode()).isEqualTo(302);
        Map<String, Object> post = create(alice, "{\"connectorKey\":\"mockpost\"}");
        HttpResponse<String> page = get(path(followProvider(redirectOf(continueLink(path((String) post.get("connectUrl"))))).toString()));
        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.body()).contains("invalid_client");
        assertThat(getProfile(alice, (String) profile(post).get("id"))).containsEntry("status", "pending_auth");
    }

    @Test
    void connectWhenProviderWantsJsonTokenBodyThenJsonEntryConnects() throws IOException {
        mock.quirks(Set.of(Quirk.JSON_TOKEN_BODY));
        Account alice = newOrg("member");
        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mockjson\"}");
        HttpResponse<String> done = get(path(followProvider(redirectOf(continueLink(path((String) created.get("connectUrl"))))).toString()));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(getProfile(alice, (String) profile(created).get("id"))).containsEntry("status", "active");
    }

    @Test
    void connectWhenProviderIsPerTenantThenValueRequiredValidatedAndUsedForEveryUrl() throws IOException {
        Account alice = newOrg("member");
        HttpResponse<String> providers = send("GET", URI.create(server.getURL() + "/api/providers"), null, null);
        List<Map<String, Object>> listed = json.readValue(providers.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
        assertThat(listed).filteredOn(p -> "mocktenant".equals(p.get("key"))).singleElement()
                .satisfies(p -> assertThat(p.get("connectionParams")).isEqualTo(Map.of("octet", "Last octet of the tenant's address")));
        assertThat(listed).filteredOn(p -> "mock".equals(p.get("key"))).singleElement()
                .satisfies(p -> assertThat(p.get("connectionParams")).isEqualTo(Map.of()));
        URI api = URI.create(server.getURL() + "/api/auth-profiles");
        HttpResponse<String> missing = send("POST", api, token(alice), "{\"connectorKey\":\"mocktenant\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("connectionParams.octet");
        assertThat(send("POST", api, token(alice), "{\"connectorKey\":\"mocktenant\",\"connectionParams\":{\"octet\":\"1/evil\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(send("POST", api, token(alice), "{\"connectorKey\":\"mocktenant\",\"connectionParams\":{\"octet\":\"1\",\"x\":\"y\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(send("POST", api, token(alice), "{\"connectorKey\":\"mock\",\"connectionParams\":{\"octet\":\"1\"}}")
                .statusCode()).isEqualTo(400);

        Map<String, Object> created = create(alice, "{\"connectorKey\":\"mocktenant\",\"connectionParams\":{\"octet\":\"1\"}}");
        String profileId = (String) profile(created).get("id");
        assertThat(profile(created).get("connectionParams")).isEqualTo(Map.of("octet", "1"));
        URI authorize = redirectOf(continueLink(path((String) created.get("connectUrl"))));
        assertThat(authorize.toString()).startsWith("http://127.0.0.1:" + URI.create(mock.baseUrl()).getPort() + "/authorize?");
        assertThat(get(path(followProvider(authorize).toString())).statusCode()).isEqualTo(302);
        assertThat(getProfile(alice, profileId)).containsEntry("status", "active");
        assertThat(mock.tokenRequests("authorization_code")).isEqualTo(1);

        // refresh needs the connection's URL: token-refresher names the profile
        String internal = internalToken("linkguard-token-refresher");
        String base = server.getURL() + "/internal/providers/mocktenant/token-client?orgId=" + alice.orgId();
        assertThat(send("GET", URI.create(base), internal, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", URI.create(base + "&authProfileId=" + java.util.UUID.randomUUID()), internal, null).statusCode())
                .isEqualTo(400);
        HttpResponse<String> client = send("GET", URI.create(base + "&authProfileId=" + profileId), internal, null);
        assertThat(client.statusCode()).as(client.body()).isEqualTo(200);
        assertThat(client.body()).contains("\"tokenUrl\":\"http://127.0.0.1:" + URI.create(mock.baseUrl()).getPort() + "/token\"");
        assertThat(send("GET", URI.create(server.getURL() + "/internal/providers/mocktenant/token-client?orgId="
                + newOrg("member").orgId() + "&authProfileId=" + profileId), internal, null).statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------ helpers

    /** auth-server's own internal token: ES256-signed, scope internal, no org. */
    static void assertInternalToken(String authorization) {
        assertThat(authorization).startsWith("Bearer ");
        try {
            com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(authorization.substring(7));
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
            assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("internal");
            assertThat(jwt.getJWTClaimsSet().getClaim("org_id")).isNull();
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWT: " + authorization, e);
        }
    }

    String catalogFile() {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("providers", ".yml");
            f.toFile().deleteOnExit();
            java.nio.file.Files.writeString(f, """
                    providers:
                      mockpost:
                        name: Mock (post)
                        authorize-url: %1$s/authorize
                        token-url: %1$s/token
                        scopes: [read, write]
                        scope-separator: ","
                        pkce: false
                        authorize-params:
                          prompt: consent
                        client-auth: post
                      mockgh:
                        name: Mock (quirky answers)
                        authorize-url: %1$s/authorize
                        token-url: %1$s/token
                        scopes: [read, write]
                        scope-separator: ","
                        client-auth: post
                        tokens-expire: false
                        errors-in-ok-body: true
                      mockjson:
                        name: Mock (JSON body)
                        authorize-url: %1$s/authorize
                        token-url: %1$s/token
                        client-auth: basic
                        token-body: json
                      mocktenant:
                        name: Mock (per tenant)
                        authorize-url: http://127.0.0.{octet}:%2$d/authorize
                        token-url: http://127.0.0.{octet}:%2$d/token
                        pkce: true
                        client-auth: basic
                        connection-params:
                          octet: "Last octet of the tenant's address"
                    """.formatted(mock.baseUrl(), URI.create(mock.baseUrl()).getPort()));
            return f.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> out = new java.util.ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    Map<String, Object> create(Account a, String body) throws IOException {
        HttpResponse<String> r = send("POST", URI.create(server.getURL() + "/api/auth-profiles"), token(a), body);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        return json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
    }

    Map<String, Object> getProfile(Account a, String id) throws IOException {
        HttpResponse<String> r = send("GET", URI.create(server.getURL() + "/api/auth-profiles/" + id), token(a), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> profile(Map<String, Object> created) {
        return (Map<String, Object>) created.get("authProfile");
    }

    /** The browser at the provider: follow its redirect back, which points at the public URL. */
    URI followProvider(URI authorize) {
        HttpResponse<String> r = send("GET", authorize, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return redirectOf(r);
    }

    static URI redirectOf(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isIn(302, 303);
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    /** A public-URL link, turned into a path on the service under test. */
    static String path(String publicUrl) {
        assertThat(publicUrl).startsWith(PUBLIC_URL);
        return publicUrl.substring(PUBLIC_URL.length());
    }

    /** The confirmation page of a connect link, as a browser holds it: its cookie and form field. */
    record ConfirmPage(ConnectFlowTest test, String link, String cookie, String csrf) {
        HttpResponse<String> submit() {
            return test.postForm(link, cookie, Map.of("csrf", csrf));
        }
    }

    ConfirmPage open(String link) {
        HttpResponse<String> r = get(link);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConnectController.CSRF_COOKIE + "=")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).isTrue();
        assertThat(r.body()).contains("action=\"" + link + "\"");
        return new ConfirmPage(this, link, setCookie.substring(0, setCookie.indexOf(';')), m.group(1));
    }

    /** Opens a connect link and presses Continue. */
    HttpResponse<String> continueLink(String link) {
        return open(link).submit();
    }

    HttpResponse<String> postForm(String path, String cookie, Map<String, String> form) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(java.util.stream.Collectors.joining("&"))));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        // a browser's same-origin form POST
        b.header("Origin", server.getURL().toString());
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", URI.create(server.getURL() + path), null, null);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
