package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;

import java.util.UUID;

/** The encrypted secret of an oauth_app (client secret) or api_key profile. */
public record AuthProfileSecret(UUID authProfileId,
                                @Nullable String clientId,
                                byte[] ciphertext,
                                String keyId) {
}
