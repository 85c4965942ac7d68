package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/auth-profiles}. {@code providerKey} defaults to {@code connectorKey};
 * {@code scopes} to the provider's defaults. oauth_app profiles (admins) carry
 * {@code clientId}/{@code clientSecret}; api_key profiles carry {@code apiKey}. {@code connectionParams}
 * gives the values a per-tenant provider declares (e.g. {@code {"subdomain":"acme"}} for Zendesk).
 */
@Serdeable
public record CreateAuthProfileRequest(@Nullable String connectorKey,
                                       @Nullable String profileKind,
                                       @Nullable String displayName,
                                       @Nullable String slug,
                                       @Nullable String providerKey,
                                       @Nullable List<String> scopes,
                                       @Nullable Boolean shared,
                                       @Nullable String clientId,
                                       @Nullable String clientSecret,
                                       @Nullable String apiKey,
                                       @Nullable Map<String, String> connectionParams) {
}
