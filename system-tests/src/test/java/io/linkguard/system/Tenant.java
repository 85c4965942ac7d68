package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkguard.launcher.DashboardLogin;
import io.linkguard.launcher.DemoAccount;
import io.linkguard.launcher.DemoSeed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant created through the public API the way a customer would: sign-up, sign-in
 * through the dashboard's PKCE flow, a worker service account.
 */
final class Tenant {

    final DemoAccount account;
    final String ownerToken;

    private Tenant(DemoAccount account, String ownerToken) {
        this.account = account;
        this.ownerToken = ownerToken;
    }

    static Tenant create(RunningSystem sys) {
        String email = "owner-" + UUID.randomUUID() + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        try {
            DemoAccount account = DemoSeed.create(sys.gateway(), "Org " + email, email, password);
            return new Tenant(account, userToken(sys, email, password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String userToken(RunningSystem sys, String email, String password) {
        try {
            JsonNode t = DashboardLogin.login(sys.gateway(), sys.config.publicUrl() + "/app/callback", email, password,
                    "connectors:read profiles:write automation:write admin account:write");
            return t.get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A member of this tenant's org, signed in. */
    String[] addMember(RunningSystem sys, String role) {
        String email = role + "-" + UUID.randomUUID() + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        Http.Response r = Http.postJson(sys.gateway() + "/api/orgs/" + account.orgId() + "/users", ownerToken,
                Map.of("email", email, "password", password, "role", role));
        if (r.status() != 201) {
            throw new IllegalStateException("Adding a member answered " + r.status() + ": " + r.body());
        }
        String userId = r.json().has("userId") ? r.json().get("userId").asText() : r.json().get("id").asText();
        return new String[] {userId, userToken(sys, email, password)};
    }

    /** {@code POST /api/auth-profiles} for an oauth_account of {@code connectorKey}; {@code slug} may be null. */
    static Http.Response createProfile(RunningSystem sys, String userToken, String connectorKey, String slug) {
        Map<String, String> body = new java.util.HashMap<>(Map.of(
                "connectorKey", connectorKey, "profileKind", "oauth_account", "displayName", "My " + connectorKey));
        if (slug != null) {
            body.put("slug", slug);
        }
        return Http.postJson(sys.gateway() + "/api/auth-profiles", userToken, body);
    }

    /** Creates a mock-provider profile for the signed-in user and connects it; returns the profile id. */
    static String connectMock(RunningSystem sys, String userToken) {
        Http.Response created = createProfile(sys, userToken, "mock", null);
        if (created.status() != 201 && created.status() != 200) {
            throw new IllegalStateException("Creating a profile answered " + created.status() + ": " + created.body());
        }
        ConnectFlow.Hops hops = ConnectFlow.follow(created.json().get("connectUrl").asText());
        if (hops.callback() == null || hops.callback().status() != 302
                || !hops.callback().header("Location").endsWith("/app/?connected=mock")) {
            throw new IllegalStateException("The connect flow did not finish: " + hops);
        }
        return created.json().get("authProfile").get("id").asText();
    }

    String workerToken(RunningSystem sys) {
        Http.Response r = Http.postForm(sys.gateway() + "/oauth/token",
                Map.of("grant_type", "client_credentials", "scope", "health:report tokens:read"),
                account.clientId(), account.clientSecret());
        if (r.status() != 200) {
            throw new IllegalStateException("client_credentials answered " + r.status() + ": " + r.body());
        }
        return r.json().get("access_token").asText();
    }
}
