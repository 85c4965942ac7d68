package io.linkguard.auth.client;

import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.connect.ConnectConfiguration;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Clients that exist out of the box: the dashboard (first-party, public, PKCE) and Linkguard's
 * own services (confidential, {@code internal} scope, secret from LINKGUARD_INTERNAL_CLIENT_SECRET).
 * Written at every start so configuration changes take effect; idempotent across replicas.
 * The dashboard's redirect URI follows the public URL unless LINKGUARD_DASHBOARD_REDIRECT_URIS
 * names others: a deployment then sets only LINKGUARD_PUBLIC_URL, and the exact-match check of
 * redirect URIs still holds.
 */
@Singleton
class BuiltInClients {

    static final String DASHBOARD = "linkguard-dashboard";
    static final List<String> INTERNAL = List.of("linkguard-token-refresher", "linkguard-connector-health", "linkguard-api-gateway");

    private final ClientRepository clients;
    private final String internalSecret;
    private final List<String> dashboardRedirects;

    BuiltInClients(ClientRepository clients, InternalClientConfiguration internal, DashboardClientConfiguration dashboard,
                   ConnectConfiguration connect) {
        this.clients = clients;
        this.internalSecret = internal.internalClientSecret();
        List<String> configured = dashboard.redirects();
        this.dashboardRedirects = configured.isEmpty() ? List.of(connect.dashboardCallbackUrl()) : configured;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        clients.upsertBuiltIn(new RegisteredClient(DASHBOARD, null, "first_party", "Linkguard dashboard", null,
                dashboardRedirects, List.of("authorization_code", "refresh_token"), ClientRepository.FIRST_PARTY_SCOPES));
        String hash = Hashes.sha256(internalSecret);
        for (String id : INTERNAL) {
            clients.upsertBuiltIn(new RegisteredClient(id, hash, "internal", id, null, List.of(),
                    List.of("client_credentials"), List.of("internal")));
        }
    }
}
