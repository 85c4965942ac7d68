package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A connector auth profile (docs/connect-flow.md). Scopes are kept space-separated, as OAuth writes them;
 * {@code grantedScopes} is null until the provider has answered. {@code connectionParams} holds the
 * values a per-tenant provider's URLs need ({@code subdomain} for Zendesk), empty for the others.
 */
public record AuthProfile(UUID id,
                          UUID orgId,
                          @Nullable UUID createdBy,
                          String connectorKey,
                          String providerKey,
                          ProfileKind kind,
                          ProfileStatus status,
                          String displayName,
                          String slug,
                          boolean shared,
                          String requestedScopes,
                          @Nullable String grantedScopes,
                          @Nullable String errorCode,
                          Instant createdAt,
                          Instant updatedAt,
                          @Nullable Instant connectedAt,
                          Map<String, String> connectionParams) {

    /** @return whether the profile is a user's connected account (the only kind the connect flow makes) */
    public boolean isOAuthAccount() {
        return kind == ProfileKind.OAUTH_ACCOUNT;
    }

    /** @return whether the connect flow may (re)connect it: pending, or its grant is gone */
    public boolean awaitsAuthorization() {
        return status == ProfileStatus.PENDING_AUTH || status == ProfileStatus.NEEDS_REAUTH;
    }
}
