package io.linkguard.auth.connect;

import io.linkguard.auth.provider.ProviderCatalog;
import io.linkguard.auth.provider.ProviderDefinition;
import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
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
 * 404 (token-refresher then shows it as "Linkguard cannot refresh"), never another client's secret. Internal only (the gateway never routes it,
 * the access policy requires the {@code internal} scope).
 */
@Controller("/internal/providers")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalProviderClientController {

    /** What token-refresher needs to refresh at this provider for this org. */
    @Serdeable
    record TokenClient(String providerKey, String tokenUrl, String clientId, String clientSecret, String clientAuth,
                       boolean refreshRotates, String source, @Nullable String revokeUrl) {
    }

    private final ProviderCatalog catalog;
    private final ProviderClients clients;

    InternalProviderClientController(ProviderCatalog catalog, ProviderClients clients) {
        this.catalog = catalog;
        this.clients = clients;
    }

    @Get("/{key}/token-client")
    TokenClient tokenClient(@PathVariable String key, @QueryValue UUID orgId, @Nullable @QueryValue String clientId) {
        ProviderDefinition provider = catalog.find(key)
                .orElseThrow(() -> ProblemException.notFound("No provider '" + key + "' in the catalog."));
        ProviderClients.Resolved client = (clientId == null ? clients.resolveWithSource(orgId, provider)
                : clients.resolveExactly(orgId, provider, clientId))
                .orElseThrow(() -> ProblemException.notFound(clientId == null
                        ? "No client is configured for provider '" + key + "'."
                        : "The client this connection was made with is no longer configured for provider '" + key + "'."));
        return new TokenClient(provider.key(), provider.tokenUrl(), client.client().clientId(), client.client().clientSecret(),
                provider.clientAuth().name().toLowerCase(java.util.Locale.ROOT), provider.refreshRotates(), client.source(),
                provider.revokeUrl());
    }
}
