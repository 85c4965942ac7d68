package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/** The OAuth {@code state} of one redirect to a provider, bound to the profile and the user. */
public record ConnectState(String stateHash,
                           UUID authProfileId,
                           UUID userId,
                           String providerKey,
                           String redirectUri,
                           String requestedScopes,
                           @Nullable String codeVerifier,
                           Instant expiresAt,
                           @Nullable Instant usedAt,
                           Instant createdAt) {
}
