package io.linkguard.http.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The verified-signature cache every service uses ({@code linkguard.security.signature-cache.*};
 * {@code enabled=false} turns it off).
 *
 * @param ttl        how long a verified token signature is remembered
 *                   ({@code LINKGUARD_SECURITY_SIGNATURE_CACHE_TTL}); bounds how long a token signed
 *                   by a key withdrawn from the JWKS keeps being accepted
 * @param maxEntries how many verified signatures are remembered
 *                   ({@code LINKGUARD_SECURITY_SIGNATURE_CACHE_MAX_ENTRIES})
 */
@ConfigurationProperties("linkguard.security.signature-cache")
public record SignatureCacheSettings(
        @NotNull(message = "must be a duration: LINKGUARD_SECURITY_SIGNATURE_CACHE_TTL")
        @Bindable(defaultValue = "5m") Duration ttl,
        @Min(value = 1, message = "must be at least 1: LINKGUARD_SECURITY_SIGNATURE_CACHE_MAX_ENTRIES")
        @Bindable(defaultValue = "50000") long maxEntries) {
}
