package io.linkguard.http.headers;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The security headers every response of a service carries ({@link SecurityHeadersFilter}).
 *
 * @param enabled               whether the filter is on ({@code linkguard.http.security-headers.enabled})
 * @param contentSecurityPolicy the CSP for responses that set none themselves; it must keep
 *                              {@code frame-ancestors 'none'} (no page of ours may be framed: clickjacking)
 * @param referrerPolicy        the Referrer-Policy for responses that set none themselves
 */
@ConfigurationProperties("linkguard.http.security-headers")
public record SecurityHeadersConfiguration(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'") String contentSecurityPolicy,
        @Bindable(defaultValue = "no-referrer") String referrerPolicy) {
}
