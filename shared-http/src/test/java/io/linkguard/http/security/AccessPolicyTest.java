package io.linkguard.http.security;

import io.micronaut.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID OTHER_ORG = UUID.randomUUID();
    private static final UUID ME = UUID.randomUUID();
    private static final UUID SOMEONE = UUID.randomUUID();

    private static Caller user(UUID id, String role, String scope) {
        return new Caller(id.toString(), ORG, role, "linkguard-dashboard", Scopes.parse(scope));
    }

    private static Caller worker(String scope) {
        return new Caller("sa-1", ORG, null, "sa-1", Scopes.parse(scope));
    }

    private static final Caller INTERNAL = new Caller("linkguard-token-refresher", null, null, "linkguard-token-refresher",
            Set.of(Scopes.INTERNAL));

    private static int status(HttpMethod m, String path, Caller caller) {
        AccessPolicy.Decision d = AccessPolicy.decide(m, path, caller);
        if (d instanceof AccessPolicy.Allow) {
            return 200;
        }
        if (d instanceof AccessPolicy.Deny deny) {
            return deny.problem().status();
        }
        AccessPolicy.UserInOrg u = (AccessPolicy.UserInOrg) d;
        assertThat(u.callerOrg()).isEqualTo(caller.orgId());
        return u.sameOrgDenial() == null ? 299 : u.sameOrgDenial().status(); // 299: allowed once the user is found in the org
    }

    /** Every route the services serve under /api and /internal has an entry. */
    @Test
    void matchWhenAnyServedRouteThenItHasARule() {
        String id = UUID.randomUUID().toString();
        List<Object[]> routes = List.of(
                new Object[]{HttpMethod.POST, "/api/signup"}, new Object[]{HttpMethod.GET, "/api/providers"},
                new Object[]{HttpMethod.GET, "/api/me"}, new Object[]{HttpMethod.POST, "/api/me/password"}, new Object[]{HttpMethod.POST, "/api/orgs/" + id + "/users"},
                new Object[]{HttpMethod.POST, "/api/orgs/" + id + "/service-accounts"},
                new Object[]{HttpMethod.GET, "/api/orgs/" + id + "/members"},
                new Object[]{HttpMethod.PATCH, "/api/orgs/" + id + "/members/" + id},
                new Object[]{HttpMethod.DELETE, "/api/orgs/" + id + "/members/" + id},
                new Object[]{HttpMethod.GET, "/api/orgs/" + id + "/service-accounts"},
                new Object[]{HttpMethod.POST, "/api/orgs/" + id + "/service-accounts/sa-1/secret"},
                new Object[]{HttpMethod.DELETE, "/api/orgs/" + id + "/service-accounts/sa-1"},
                new Object[]{HttpMethod.DELETE, "/api/users/" + id},
                new Object[]{HttpMethod.POST, "/api/auth-profiles"}, new Object[]{HttpMethod.GET, "/api/auth-profiles"},
                new Object[]{HttpMethod.GET, "/api/auth-profiles/" + id}, new Object[]{HttpMethod.DELETE, "/api/auth-profiles/" + id},
                new Object[]{HttpMethod.POST, "/api/auth-profiles/" + id + "/reconnect"},
                new Object[]{HttpMethod.POST, "/api/connections/" + id + "/access-token"},
                new Object[]{HttpMethod.GET, "/api/connections"},
                new Object[]{HttpMethod.GET, "/api/connectors/" + id + "/status"},
                new Object[]{HttpMethod.GET, "/api/connectors/" + id + "/history"},
                new Object[]{HttpMethod.GET, "/api/orgs/" + id + "/connections"},
                new Object[]{HttpMethod.GET, "/api/orgs/" + id + "/connections/summary"},
                new Object[]{HttpMethod.POST, "/api/health/reports"},
                new Object[]{HttpMethod.PUT, "/api/users/" + id + "/automation-pause"},
                new Object[]{HttpMethod.GET, "/api/users/" + id + "/automation-state"},
                new Object[]{HttpMethod.GET, "/internal/users/" + id});
        for (Object[] r : routes) {
            assertThat(AccessPolicy.match((HttpMethod) r[0], (String) r[1])).as(r[0] + " " + r[1]).isPresent();
        }
    }

    @Test
    void decideWhenRouteUnknownThenDeniedWhateverTheToken() {
        Caller admin = user(ME, "owner", "admin connectors:read profiles:write automation:write account:write");
        assertThat(status(HttpMethod.GET, "/api/secret-admin-thing", admin)).isEqualTo(404);
        assertThat(status(HttpMethod.POST, "/api/connectors/" + ME + "/status", admin)).isEqualTo(404);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + ME + "/status/", admin)).isEqualTo(404);
        assertThat(status(HttpMethod.GET, "/api//connectors/" + ME + "/status", admin)).isEqualTo(404);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + ME + "/status/..", admin)).isEqualTo(404);
    }

    @Test
    void decideWhenNoTokenThen401ExceptPublicRoutes() {
        assertThat(status(HttpMethod.GET, "/api/connectors/" + ME + "/status", null)).isEqualTo(401);
        assertThat(status(HttpMethod.POST, "/api/signup", null)).isEqualTo(200);
        assertThat(status(HttpMethod.GET, "/api/providers", null)).isEqualTo(200);
        assertThat(status(HttpMethod.GET, "/oauth/jwks", null)).isEqualTo(200); // not governed: protocol routes
    }

    @Test
    void decideWhenAdminRoleButOnlyReadScopeThenNoOrgWidePower() {
        Caller thirdPartyAppOfAdmin = user(ME, "admin", "connectors:read");
        assertThat(status(HttpMethod.PUT, "/api/users/" + SOMEONE + "/automation-pause", thirdPartyAppOfAdmin)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + SOMEONE + "/status", thirdPartyAppOfAdmin)).isEqualTo(403);
        assertThat(status(HttpMethod.DELETE, "/api/users/" + SOMEONE, thirdPartyAppOfAdmin)).isEqualTo(403);
        assertThat(status(HttpMethod.POST, "/api/orgs/" + ORG + "/users", thirdPartyAppOfAdmin)).isEqualTo(403);
        assertThat(status(HttpMethod.PUT, "/api/users/" + ME + "/automation-pause", thirdPartyAppOfAdmin)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + ME + "/status", thirdPartyAppOfAdmin)).isEqualTo(200);
    }

    @Test
    void decideWhenAdminScopeAndRoleThenOrgWidePowerInOwnOrgOnly() {
        Caller admin = user(ME, "admin", "admin");
        assertThat(status(HttpMethod.PUT, "/api/users/" + SOMEONE + "/automation-pause", admin)).isEqualTo(299);
        assertThat(status(HttpMethod.DELETE, "/api/users/" + SOMEONE, admin)).isEqualTo(299);
        assertThat(status(HttpMethod.POST, "/api/orgs/" + ORG + "/service-accounts", admin)).isEqualTo(200);
        assertThat(status(HttpMethod.POST, "/api/orgs/" + OTHER_ORG + "/service-accounts", admin)).isEqualTo(404);
        Caller memberWithAdminScope = user(ME, "member", "admin connectors:read");
        assertThat(status(HttpMethod.GET, "/api/connectors/" + SOMEONE + "/status", memberWithAdminScope)).isEqualTo(403);
        assertThat(status(HttpMethod.POST, "/api/orgs/" + ORG + "/users", memberWithAdminScope)).isEqualTo(403);
    }

    @Test
    void decideWhenHistoryThenLikeStatus() {
        String mine = "/api/connectors/" + ME + "/history";
        String theirs = "/api/connectors/" + SOMEONE + "/history";
        assertThat(status(HttpMethod.GET, mine, user(ME, "member", "connectors:read"))).isEqualTo(200);
        assertThat(status(HttpMethod.GET, mine, user(ME, "member", "profiles:write"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, theirs, user(ME, "member", "connectors:read admin"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, theirs, user(ME, "admin", "admin"))).isEqualTo(299);
        assertThat(status(HttpMethod.GET, theirs, worker("tokens:read health:report"))).isEqualTo(403);
        assertThat(status(HttpMethod.POST, mine, user(ME, "member", "connectors:read"))).isEqualTo(404);
    }

    @Test
    void decideWhenOrgConnectionsThenOrgAdminsOfThatOrgOnly() {
        String list = "/api/orgs/" + ORG + "/connections";
        assertThat(status(HttpMethod.GET, list, user(ME, "owner", "admin"))).isEqualTo(200);
        assertThat(status(HttpMethod.GET, list + "/summary", user(ME, "admin", "admin"))).isEqualTo(200);
        assertThat(status(HttpMethod.GET, list, user(ME, "member", "admin connectors:read"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, list, user(ME, "owner", "connectors:read"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, list, worker("tokens:read health:report"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/orgs/" + OTHER_ORG + "/connections", user(ME, "owner", "admin"))).isEqualTo(404);
    }

    @Test
    void decideWhenDeletingOwnAccountThenOnlyWithAccountWrite() {
        assertThat(status(HttpMethod.DELETE, "/api/users/" + ME, user(ME, "member", "connectors:read"))).isEqualTo(403);
        assertThat(status(HttpMethod.DELETE, "/api/users/" + ME, user(ME, "owner", "admin connectors:read"))).isEqualTo(403);
        assertThat(status(HttpMethod.DELETE, "/api/users/" + ME, user(ME, "member", "account:write"))).isEqualTo(200);
    }

    @Test
    void decideWhenWorkerThenOnlyItsScopesAndNeverUserRoutes() {
        Caller tokens = worker("tokens:read");
        assertThat(status(HttpMethod.POST, "/api/connections/" + UUID.randomUUID() + "/access-token", tokens)).isEqualTo(200);
        assertThat(status(HttpMethod.POST, "/api/health/reports", tokens)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/users/" + SOMEONE + "/automation-state", tokens)).isEqualTo(299);
        assertThat(status(HttpMethod.PUT, "/api/users/" + SOMEONE + "/automation-pause", tokens)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + SOMEONE + "/status", tokens)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/auth-profiles", worker("profiles:write"))).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/internal/users/" + SOMEONE, tokens)).isEqualTo(403);
    }

    @Test
    void decideWhenInternalTokenThenOnlyInternalRoutes() {
        assertThat(status(HttpMethod.GET, "/internal/users/" + SOMEONE, INTERNAL)).isEqualTo(200);
        assertThat(status(HttpMethod.GET, "/api/connectors/" + SOMEONE + "/status", INTERNAL)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/api/me", INTERNAL)).isEqualTo(403);
    }

    @Test
    void decideWhenMalformedIdsThen400() {
        Caller admin = user(ME, "owner", "admin");
        assertThat(status(HttpMethod.GET, "/api/connectors/not-a-uuid/status", admin)).isEqualTo(400);
        assertThat(status(HttpMethod.POST, "/api/orgs/nope/users", admin)).isEqualTo(400);
    }
}
