package io.linkguard.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authority model from the outside, as an attacker would probe it: every API route × every
 * kind of caller, through the gateway and against the owning service directly. A token does
 * exactly what its scopes say; an admin role never widens a token that lacks the {@code admin}
 * scope; another org's data answers as if it did not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthoritySystemTest {

    /** Who calls. */
    enum Who { NO_TOKEN, WRONG_SCOPE, SELF_WITH_SCOPE, ADMIN_ROLE_WITHOUT_ADMIN_SCOPE, ADMIN, OTHER_ORG_ADMIN, WORKER }

    /** One route: how to call it for a target user, and which service owns it. */
    record Route(String name, String service, String ownScope, Call call) {
    }

    interface Call {
        Http.Response send(String base, String targetUserId, String orgId, String token);
    }

    RunningSystem sys;
    Tenant a;
    Tenant b;
    String[] member;
    String workerToken;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        a = Tenant.create(sys);
        b = Tenant.create(sys);
        member = a.addMember(sys, "member");
        workerToken = workerToken(a);
    }

    private String workerToken(Tenant t) {
        Http.Response r = Http.postForm(sys.gateway() + "/oauth/token",
                Map.of("grant_type", "client_credentials", "scope", "health:report tokens:read"),
                t.account.clientId(), t.account.clientSecret());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private String login(String email, String password, String scope) {
        try {
            return io.linkguard.launcher.DashboardLogin.login(sys.gateway(), sys.config.publicUrl() + "/app/callback",
                    email, password, scope).get("access_token").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A user of org A with a token of exactly the given scope: {id, token, email, password}. With a
     * null scope no token is taken, and a role of {@code owner-like-admin} makes an admin.
     */
    private String[] userWithScope(String role, String scope) {
        if (role.equals("owner-like-admin")) {
            role = "admin";
        }
        String email = role + "-" + UUID.randomUUID() + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        Http.Response r = Http.postJson(sys.gateway() + "/api/orgs/" + a.account.orgId() + "/users", a.ownerToken,
                Map.of("email", email, "password", password, "role", role));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().has("userId") ? r.json().get("userId").asText() : r.json().get("id").asText();
        return new String[] {id, scope == null ? null : login(email, password, scope), email, password};
    }

    private List<Route> routes() {
        return List.of(
                new Route("GET status", "connector-health", "connectors:read",
                        (base, u, org, t) -> Http.get(base + "/api/connectors/" + u + "/status", t)),
                new Route("GET history", "connector-health", "connectors:read",
                        (base, u, org, t) -> Http.get(base + "/api/connectors/" + u + "/history", t)),
                new Route("GET org connections", "connector-health", "admin",
                        (base, u, org, t) -> Http.get(base + "/api/orgs/" + org + "/connections?status=needs_reauth", t)),
                new Route("GET org connections summary", "connector-health", "admin",
                        (base, u, org, t) -> Http.get(base + "/api/orgs/" + org + "/connections/summary", t)),
                new Route("PUT automation-pause", "connector-health", "automation:write",
                        (base, u, org, t) -> Http.putJson(base + "/api/users/" + u + "/automation-pause", t, Map.of("paused", false))),
                new Route("GET automation-state", "connector-health", "connectors:read",
                        (base, u, org, t) -> Http.get(base + "/api/users/" + u + "/automation-state", t)),
                new Route("POST org member", "auth-server", "admin",
                        (base, u, org, t) -> Http.postJson(base + "/api/orgs/" + org + "/users", t,
                                Map.of("email", "x-" + UUID.randomUUID() + "@example.test", "password", "pw-" + UUID.randomUUID(),
                                        "role", "member"))),
                new Route("POST service account", "auth-server", "admin",
                        (base, u, org, t) -> Http.postJson(base + "/api/orgs/" + org + "/service-accounts", t,
                                Map.of("name", "w", "scopes", List.of("tokens:read")))));
    }

    private static boolean allowed(Http.Response r) {
        return r.status() != 401 && r.status() != 403 && r.status() != 404;
    }

    @Test
    void everyRouteWhenCallerVariesThenOnlyTheRightScopeAndRoleGetIn() {
        List<String> failures = new ArrayList<>();
        String orgA = a.account.orgId();
        String adminNoScope = userWithScope("admin", "connectors:read automation:write profiles:write")[1];
        for (Route route : routes()) {
            boolean orgRoute = route.ownScope().equals("admin");
            String[] self = userWithScope("member", route.ownScope().equals("admin") ? "connectors:read" : route.ownScope());
            String[] wrong = userWithScope("member", route.ownScope().equals("profiles:write") ? "connectors:read" : "profiles:write");
            for (String base : List.of(sys.gateway(), sys.url(route.service()))) {
                String where = route.name() + " at " + (base.equals(sys.gateway()) ? "gateway" : route.service());
                expect(failures, where + " without a token", route.call().send(base, self[0], orgA, null), 401);
                expect(failures, where + " with the wrong scope", route.call().send(base, self[0], orgA, wrong[1]), 403);
                if (!orgRoute) {
                    Http.Response own = route.call().send(base, self[0], orgA, self[1]);
                    if (!allowed(own)) {
                        failures.add(where + " by the user themself with the scope: " + own.status() + " " + own.body());
                    }
                }
                expect(failures, where + " on another user by an admin role without the admin scope",
                        route.call().send(base, member[0], orgA, adminNoScope), 403);
                Http.Response admin = route.call().send(base, member[0], orgA, a.ownerToken);
                if (!allowed(admin)) {
                    failures.add(where + " by an org admin with the admin scope: " + admin.status() + " " + admin.body());
                }
                expect(failures, where + " by another org's admin", route.call().send(base, member[0], orgA, b.ownerToken), 404);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void workerWhenItHasTokensReadThenItReadsThePauseButChangesNothing() {
        for (String base : List.of(sys.gateway(), sys.url("connector-health"))) {
            assertThat(Http.get(base + "/api/users/" + member[0] + "/automation-state", workerToken).status()).isEqualTo(200);
            assertThat(Http.putJson(base + "/api/users/" + member[0] + "/automation-pause", workerToken,
                    Map.of("paused", true)).status()).isEqualTo(403);
            assertThat(Http.get(base + "/api/connectors/" + member[0] + "/status", workerToken).status()).isEqualTo(403);
            assertThat(Http.get(base + "/api/users/" + UUID.randomUUID() + "/automation-state", workerToken).status()).isEqualTo(404);
            assertThat(Http.get(base + "/api/users/" + b.account.userId() + "/automation-state", workerToken).status()).isEqualTo(404);
        }
        for (String base : List.of(sys.gateway(), sys.url("auth-server"))) {
            assertThat(Http.get(base + "/api/auth-profiles", workerToken).status()).isEqualTo(403);
            assertThat(Http.delete(base + "/api/users/" + member[0], workerToken).status()).isEqualTo(403);
        }
    }

    @Test
    void deleteOwnAccountWhenTokenLacksAccountWriteThenRefusedAndTheAccountStays() {
        String[] readOnly = userWithScope("admin", "connectors:read");
        for (String base : List.of(sys.gateway(), sys.url("auth-server"))) {
            Http.Response r = Http.delete(base + "/api/users/" + readOnly[0], readOnly[1]);
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().get("detail").asText()).contains("account:write");
            assertThat(Http.delete(base + "/api/users/" + member[0], readOnly[1]).status()).isEqualTo(403);
        }
        assertThat(sys.count("SELECT count(*) FROM auth.users WHERE id = ?::uuid", readOnly[0])).isEqualTo(1);
        assertThat(sys.count("SELECT count(*) FROM auth.users WHERE id = ?::uuid", member[0])).isEqualTo(1);
    }

    @Test
    void unknownApiRouteWhenAnyTokenThen404AndInternalRoutesAreNotPublic() {
        for (String base : List.of(sys.gateway(), sys.url("auth-server"), sys.url("connector-health"), sys.url("token-refresher"))) {
            assertThat(Http.get(base + "/api/not-a-route", a.ownerToken).status()).as(base).isEqualTo(404);
            assertThat(Http.get(base + "/internal/users/" + member[0], a.ownerToken).status()).as(base).isIn(403, 404);
        }
        assertThat(Http.get(sys.gateway() + "/internal/users/" + member[0], null).status()).isEqualTo(404);
    }

    /**
     * The probe from the field: an org owner approves a third-party app registered through RFC 7591
     * for {@code connectors:read} only. The app reads the owner's status and nothing else: no pause
     * of another user, no deleting the owner's own account, no member management.
     */
    @Test
    void thirdPartyAppWhenAdminGrantsConnectorsReadThenItCanOnlyRead() throws Exception {
        String redirect = "http://127.0.0.1:9/callback";
        Http.Response reg = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sys.gateway() + "/oauth/register"))
                .header("Authorization", "Bearer " + sys.config.secrets().registrationToken())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.write(Map.of("client_name", "Reader app",
                        "redirect_uris", List.of(redirect), "token_endpoint_auth_method", "client_secret_post",
                        "scope", "connectors:read")))));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        String clientId = reg.json().get("client_id").asText();
        String secret = reg.json().get("client_secret").asText();
        String[] owner = userWithScope("owner-like-admin", null);
        String token = io.linkguard.launcher.DashboardLogin.login(sys.gateway(), redirect, owner[2], owner[3],
                "connectors:read", clientId, secret).get("access_token").asText();
        String self = owner[0];
        for (String base : List.of(sys.gateway(), sys.url("connector-health"))) {
            assertThat(Http.get(base + "/api/connectors/" + self + "/status", token).status()).isEqualTo(200);
            assertThat(Http.putJson(base + "/api/users/" + member[0] + "/automation-pause", token, Map.of("paused", true))
                    .status()).isEqualTo(403);
            assertThat(Http.get(base + "/api/connectors/" + member[0] + "/status", token).status()).isEqualTo(403);
        }
        for (String base : List.of(sys.gateway(), sys.url("auth-server"))) {
            assertThat(Http.delete(base + "/api/users/" + self, token).status()).isEqualTo(403);
            assertThat(Http.get(base + "/api/orgs/" + a.account.orgId() + "/members", token).status()).isEqualTo(403);
            assertThat(Http.get(base + "/api/auth-profiles", token).status()).isEqualTo(403);
        }
        assertThat(sys.count("SELECT count(*) FROM auth.users WHERE id = ?::uuid", self)).isEqualTo(1);
        assertThat(sys.count("SELECT count(*) FROM health.automation_pause WHERE user_id = ?::uuid AND paused", member[0]))
                .isZero();
        // and it can never ask for more than it registered with
        Http.Response wider = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sys.gateway()
                + "/oauth/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + Http.enc(redirect)
                + "&scope=" + Http.enc("connectors:read admin") + "&state=s&code_challenge="
                + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")).GET());
        assertThat(wider.status()).isEqualTo(302);
        assertThat(wider.header("Location")).contains("error=invalid_scope");
    }

    private static void expect(List<String> failures, String what, Http.Response r, int status) {
        if (r.status() != status) {
            failures.add(what + ": expected " + status + ", got " + r.status() + " " + r.body());
        }
    }
}
