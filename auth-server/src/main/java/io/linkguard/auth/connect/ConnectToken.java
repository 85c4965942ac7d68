package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A one-time link starting the connect flow, keyed by the SHA-256 of the token. */
@MappedEntity("connect_tokens")
public record ConnectToken(@Id String tokenHash,
                           UUID authProfileId,
                           UUID userId,
                           Instant expiresAt,
                           @Nullable Instant usedAt,
                           Instant createdAt) {
}
