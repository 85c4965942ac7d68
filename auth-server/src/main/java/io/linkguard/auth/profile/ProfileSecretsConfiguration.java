package io.linkguard.auth.profile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * The keys that seal {@code oauth_app} and {@code api_key} secrets ({@code linkguard.profiles.*}).
 * The key ring's format is checked when it is parsed ({@link SecretCipher}), with the variable named.
 *
 * @param secretKeys      {@code kid:base64key[,kid:base64key…]} ({@code LINKGUARD_PROFILE_SECRET_KEYS});
 *                        none: storing a secret is refused, nothing else is affected
 * @param activeSecretKey the key id new secrets are sealed under ({@code LINKGUARD_PROFILES_ACTIVE_SECRET_KEY}, default k1)
 */
@Context
@ConfigurationProperties("linkguard.profiles")
public record ProfileSecretsConfiguration(
        @Nullable String secretKeys,
        @NotBlank(message = "must name a key of LINKGUARD_PROFILE_SECRET_KEYS: LINKGUARD_PROFILES_ACTIVE_SECRET_KEY")
        @Bindable(defaultValue = "k1") String activeSecretKey) {
}
