package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/** A one-time link starting the connect flow, keyed by the SHA-256 of the token. */
public record ConnectToken(String tokenHash,
                           UUID authProfileId,
                           UUID userId,
                           Instant expiresAt,
                           @Nullable Instant usedAt,
                           Instant createdAt) {
}
