package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A connector auth profile (docs/connect-flow.md). Scopes are kept space-separated, as OAuth writes them;
 * {@code grantedScopes} is null until the provider has answered. {@code connectionParams} holds the
 * values a per-tenant provider's URLs need ({@code subdomain} for Zendesk), empty for the others.
 */
@MappedEntity("auth_profiles")
public record AuthProfile(@Id UUID id,
                          UUID orgId,
                          @Nullable UUID createdBy,
                          String connectorKey,
                          String providerKey,
                          String kind,
                          String status,
                          String displayName,
                          String slug,
                          boolean shared,
                          String requestedScopes,
                          @Nullable String grantedScopes,
                          @Nullable String errorCode,
                          Instant createdAt,
                          Instant updatedAt,
                          @Nullable Instant connectedAt,
                          @TypeDef(type = DataType.JSON) Map<String, String> connectionParams) {

    public static final String KIND_OAUTH_ACCOUNT = "oauth_account";
    public static final String KIND_OAUTH_APP = "oauth_app";
    public static final String KIND_API_KEY = "api_key";

    public static final String PENDING_AUTH = "pending_auth";
    public static final String ACTIVE = "active";
    public static final String NEEDS_REAUTH = "needs_reauth";
    public static final String REVOKED = "revoked";
}
