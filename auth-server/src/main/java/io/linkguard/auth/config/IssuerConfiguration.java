package io.linkguard.auth.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;

/**
 * Who auth-server says it is in the tokens it signs ({@code linkguard.security.*}). The same keys
 * configure the token validators in application.yml, so what is signed and what is accepted cannot
 * drift apart. Read at start-up: a missing value stops the service with the variable to set.
 *
 * @param issuer   the {@code iss} of every token and of the RFC 9207 {@code iss} parameter
 *                 ({@code LINKGUARD_ISSUER}, by default {@code LINKGUARD_PUBLIC_URL})
 * @param audience the {@code aud} of every token ({@code LINKGUARD_AUDIENCE}, default {@code linkguard})
 */
@Context
@ConfigurationProperties("linkguard.security")
public record IssuerConfiguration(
        @NotBlank(message = "must be set: LINKGUARD_ISSUER (or LINKGUARD_PUBLIC_URL, which it follows)") String issuer,
        @NotBlank(message = "must be set: LINKGUARD_AUDIENCE") String audience) {
}
