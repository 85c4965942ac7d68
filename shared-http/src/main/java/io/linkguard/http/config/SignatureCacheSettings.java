package io.linkguard.http.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The verified-token cache every service uses (security.VerifiedTokenCache) ({@code linkguard.security.signature-cache.*};
 * {@code enabled=false} turns it off).
 *
 * @param ttl        how long a validated token's claims are remembered
 *                   ({@code LINKGUARD_SECURITY_SIGNATURE_CACHE_TTL}); bounds how long a token signed
 *                   by a key withdrawn from the JWKS keeps being accepted
 * @param maxEntries how many validated tokens are remembered (about 2 KB each)
 *                   ({@code LINKGUARD_SECURITY_SIGNATURE_CACHE_MAX_ENTRIES})
 */
@ConfigurationProperties("linkguard.security.signature-cache")
public record SignatureCacheSettings(
        @NotNull(message = "must be a duration: LINKGUARD_SECURITY_SIGNATURE_CACHE_TTL")
        @Bindable(defaultValue = "5m") Duration ttl,
        @Min(value = 1, message = "must be at least 1: LINKGUARD_SECURITY_SIGNATURE_CACHE_MAX_ENTRIES")
        @Bindable(defaultValue = "10000") long maxEntries) {
}
