package io.linkguard.http.net;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Which peers may tell a service who the client is ({@code linkguard.network.*}).
 *
 * @param trustedProxies comma-separated IP addresses or CIDR ranges (e.g.
 *                       {@code 10.0.0.0/8, ::1/128}) of the proxies whose
 *                       {@code X-Forwarded-For} entries are believed; empty (the default)
 *                       trusts nobody, so the client is the connection's peer
 */
@ConfigurationProperties("linkguard.network")
public record ClientAddressConfiguration(@Nullable String trustedProxies) {
}
