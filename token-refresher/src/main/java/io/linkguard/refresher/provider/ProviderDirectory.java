package io.linkguard.refresher.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.linkguard.http.security.InternalTokens;
import io.linkguard.refresher.config.PerProviderSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where token-refresher learns how to refresh at a provider for an org. A provider is defined
 * once, in auth-server: its catalog entry (token URL, client authentication, whether refresh
 * tokens rotate) and the client the org's connections were made with — the org's own OAuth app,
 * else the deployment's. This asks auth-server ({@code GET /internal/providers/{key}/token-client})
 * and remembers the answer briefly (the secret stays in memory only).
 *
 * <p>{@code linkguard.refresher.providers.<key>.*} is an optional local override (a test double, a
 * different request budget); when set it wins for every org.
 */
@Singleton
public class ProviderDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderDirectory.class);
    /** How long an answer is used; an org that adds its own app is picked up within this time. */
    static final Duration TTL = Duration.ofMinutes(2);
    /** How long "no client" is remembered before auth-server is asked again. */
    static final Duration MISSING_TTL = Duration.ofSeconds(30);

    private final Map<String, ProviderConfiguration> overrides;
    private final HttpClient auth;
    private final InternalTokens tokens;
    private final Cache<String, Optional<ProviderConfiguration>> found =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();
    private final Cache<String, Boolean> missing =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(MISSING_TTL).build();

    private final PerProviderSettings settings;
    /** Providers auth-server said have per-connection URLs (Zendesk, Salesforce, Shopify…). */
    private final java.util.Set<String> perTenant = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ProviderDirectory(List<ProviderConfiguration> overrides, @Client("${linkguard.auth-url}") HttpClient auth,
                      InternalTokens tokens, PerProviderSettings settings) {
        this.overrides = overrides.stream().collect(Collectors.toMap(ProviderConfiguration::key, Function.identity()));
        this.auth = auth;
        this.tokens = tokens;
        this.settings = settings;
    }

    /**
     * @return requests per second all replicas together may send to a provider's token endpoint:
     *     {@code linkguard.refresher.budget.<key>} (env {@code LINKGUARD_REFRESHER_BUDGET_<KEY>}), else the default
     */
    double budget(String providerKey) {
        return settings.budget(providerKey);
    }

    /**
     * @param providerKey the credential's provider
     * @param orgId       the credential's org (its own OAuth app wins)
     * @param clientId    the client the credential was obtained with, when known: exactly that one is used
     * @return how to refresh, or empty when nobody configured a client (a state the caller reports)
     * @throws HttpClientResponseException when auth-server cannot answer right now (transient)
     */
    public Optional<ProviderConfiguration> find(String providerKey, UUID orgId, @Nullable String clientId,
                                                UUID authProfileId) {
        ProviderConfiguration local = overrides.get(providerKey);
        if (local != null) {
            return Optional.of(local);
        }
        String cacheKey = providerKey + "/" + orgId + "/" + clientId;
        // a per-tenant provider's URLs differ per connection: its answers are kept per connection
        if (perTenant.contains(providerKey)) {
            cacheKey = cacheKey + "/" + authProfileId;
        }
        if (missing.getIfPresent(cacheKey) != null) {
            return Optional.empty();
        }
        Optional<ProviderConfiguration> cached = found.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        Optional<ProviderConfiguration> answer = ask(providerKey, orgId, clientId, authProfileId, true);
        if (answer.isEmpty()) {
            missing.put(cacheKey, Boolean.TRUE);
        } else {
            found.put(perTenant.contains(providerKey) && !cacheKey.endsWith("/" + authProfileId)
                    ? cacheKey + "/" + authProfileId : cacheKey, answer);
        }
        return answer;
    }

    private Optional<ProviderConfiguration> ask(String providerKey, UUID orgId, @Nullable String clientId, UUID authProfileId,
                                                boolean retry) {
        try {
            TokenClient c = auth.toBlocking().retrieve(HttpRequest.GET("/internal/providers/" + providerKey
                    + "/token-client?orgId=" + orgId + "&authProfileId=" + authProfileId + (clientId == null ? ""
                    : "&clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8))).bearerAuth(tokens.get()), TokenClient.class);
            if (c.perTenant()) {
                perTenant.add(providerKey);
            }
            return Optional.of(new ProviderConfiguration(c.providerKey(), c.tokenUrl(), c.clientId(), c.clientSecret(),
                    c.clientAuth(), budget(providerKey), c.revokeUrl()));
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.BAD_REQUEST) {
                // a per-tenant provider and a connection without the values its URLs need: only a new
                // connection can fix that, so it is a "cannot refresh" state, not a retry loop
                LOG.warn("auth-server cannot give provider '{}' URLs for connection {}: {}", providerKey, authProfileId,
                        e.getMessage());
                return Optional.empty();
            }
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                LOG.warn("auth-server has no client {} for provider '{}' (org {})", clientId == null ? "" : clientId,
                        providerKey, orgId);
                return Optional.empty();
            }
            if (e.getStatus() == HttpStatus.UNAUTHORIZED && retry) {
                tokens.invalidate();
                return ask(providerKey, orgId, clientId, authProfileId, false);
            }
            throw e;
        }
    }

    /** auth-server's answer (a tolerant reader: unknown members are ignored). */
    @Serdeable
    record TokenClient(String providerKey, String tokenUrl, String clientId, String clientSecret, String clientAuth,
                       boolean refreshRotates, @Nullable String source, @Nullable String revokeUrl, boolean perTenant) {
    }
}
