package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.util.UUID;

/** The encrypted secret of an oauth_app (client secret) or api_key profile. */
@MappedEntity("auth_profile_secrets")
public record AuthProfileSecret(@Id UUID authProfileId,
                                @Nullable String clientId,
                                byte[] ciphertext,
                                String keyId) {
}
