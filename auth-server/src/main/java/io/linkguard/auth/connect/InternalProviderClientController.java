package io.linkguard.auth.connect;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.profile.AuthProfile;
import io.linkguard.auth.profile.AuthProfileRepository;
import io.linkguard.auth.provider.ProviderCatalog;
import io.micronaut.core.annotation.Nullable;
import io.linkguard.auth.provider.ProviderDefinition;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code GET /internal/providers/{key}/token-client?orgId=&clientId=}: the one provider definition, for
 * token-refresher. The catalog entry (built in, or overridden by {@code LINKGUARD_PROVIDERS_FILE})
 * and the client the org's connections were made with — the org's own {@code oauth_app} when it
 * has one, else the deployment's {@code LINKGUARD_PROVIDERS_<KEY>_CLIENT_ID/_SECRET} — so refresh
 * uses exactly what connect used, configured once. With {@code clientId} (the client a credential
 * was obtained with) only that client is answered: a connection made with the deployment's client
 * keeps refreshing with it after the org adds its own app, and one whose org app was deleted gets a
 * 404 (token-refresher then shows it as "Linkguard cannot refresh"), never another client's secret.
 * {@code tokenUrl} is where a refresh goes (the entry's {@code refresh-url} when it has one); for a
 * per-tenant provider the caller names the connection ({@code authProfileId}) and gets that tenant's
 * URLs, with {@code perTenant} set so it keeps the answer per connection. Internal only (the gateway never routes it,
 * the access policy requires the {@code internal} scope).
 */
@Controller("/internal/providers")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalProviderClientController {

    /** What token-refresher needs to refresh at this provider for this org. */
    @Serdeable
    record TokenClient(String providerKey, String tokenUrl, String clientId, String clientSecret, String clientAuth,
                       boolean refreshRotates, String source, @Nullable String revokeUrl, boolean perTenant) {
    }

    private final ProviderCatalog catalog;
    private final ProviderClients clients;
    private final AuthProfileRepository profiles;

    InternalProviderClientController(ProviderCatalog catalog, ProviderClients clients, AuthProfileRepository profiles) {
        this.catalog = catalog;
        this.profiles = profiles;
        this.clients = clients;
    }

    /**
     * @param authProfileId the connection, needed only for a per-tenant provider (its token URL
     *                      has the connection's values filled in); ignored otherwise
     */
    @Get("/{key}/token-client")
    TokenClient tokenClient(@PathVariable String key, @QueryValue UUID orgId, @Nullable @QueryValue String clientId,
                            @Nullable @QueryValue UUID authProfileId) {
        ProviderDefinition provider = catalog.find(key)
                .orElseThrow(() -> AuthProblem.NOT_FOUND.refuse("No provider '" + key + "' in the catalog."));
        String refreshUrl = provider.refreshEndpoint();
        String revokeUrl = provider.revokeUrl();
        if (provider.perTenant()) {
            AuthProfile profile = authProfileId == null ? null : profiles.findById(authProfileId);
            if (profile == null || !profile.orgId().equals(orgId) || !profile.providerKey().equals(key)) {
                throw AuthProblem.BAD_REQUEST.refuse("Provider '" + key + "' has per-connection URLs: pass the authProfileId "
                        + "of a connection of this org.");
            }
            try {
                refreshUrl = provider.resolve(refreshUrl, profile.connectionParams());
                revokeUrl = revokeUrl == null ? null : provider.resolve(revokeUrl, profile.connectionParams());
            } catch (IllegalArgumentException e) {
                throw AuthProblem.BAD_REQUEST.refuse("The connection lacks the " + e.getMessage() + " value its provider needs.");
            }
        }
        ProviderClients.Resolved client = (clientId == null ? clients.resolveWithSource(orgId, provider)
                : clients.resolveExactly(orgId, provider, clientId))
                .orElseThrow(() -> AuthProblem.NOT_FOUND.refuse(clientId == null
                        ? "No client is configured for provider '" + key + "'."
                        : "The client this connection was made with is no longer configured for provider '" + key + "'."));
        return new TokenClient(provider.key(), refreshUrl, client.client().clientId(), client.client().clientSecret(),
                provider.clientAuth().name().toLowerCase(java.util.Locale.ROOT), provider.refreshRotates(), client.source(),
                revokeUrl, provider.perTenant());
    }
}
