package io.linkguard.auth.token;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How long what auth-server issues stays good ({@code linkguard.auth.*}).
 *
 * @param accessTokenLifetime  an access token ({@code LINKGUARD_AUTH_ACCESS_TOKEN_LIFETIME}); the
 *                             revocation list keeps an entry as long as a token it matches may live
 * @param refreshTokenLifetime one refresh token of a family ({@code LINKGUARD_AUTH_REFRESH_TOKEN_LIFETIME})
 * @param familyLifetime       a refresh-token family from its sign-in, however often it is rotated
 *                             ({@code LINKGUARD_AUTH_FAMILY_LIFETIME})
 */
@Context
@ConfigurationProperties("linkguard.auth")
public record TokenLifetimes(
        @NotNull(message = "must be a duration: LINKGUARD_AUTH_ACCESS_TOKEN_LIFETIME")
        @Bindable(defaultValue = "10m") Duration accessTokenLifetime,
        @NotNull(message = "must be a duration: LINKGUARD_AUTH_REFRESH_TOKEN_LIFETIME")
        @Bindable(defaultValue = "14d") Duration refreshTokenLifetime,
        @NotNull(message = "must be a duration: LINKGUARD_AUTH_FAMILY_LIFETIME")
        @Bindable(defaultValue = "30d") Duration familyLifetime) {
}
