package io.linkguard.refresher.credential;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored credential (tokens still encrypted). */
public record Credential(UUID authProfileId, UUID orgId, UUID userId, String connectorKey, String providerKey, String keyId,
                         byte[] accessTokenCt, @Nullable byte[] refreshTokenCt, String tokenType, @Nullable Instant expiresAt,
                         List<String> scopes, CredentialStatus status, long version, int consecutiveFailures,
                         @Nullable Instant firstFailureAt, @Nullable Instant nextAttemptAt,
                         @Nullable Instant lastRefreshedAt, @Nullable String clientId) {
}
