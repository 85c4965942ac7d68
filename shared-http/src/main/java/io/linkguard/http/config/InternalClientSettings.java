package io.linkguard.http.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * How a service authenticates its own internal calls at auth-server ({@code linkguard.*}): as the
 * client {@code linkguard-<application name>} with this secret.
 *
 * @param internalClientSecret the secret shared with auth-server ({@code LINKGUARD_INTERNAL_CLIENT_SECRET})
 */
@ConfigurationProperties("linkguard")
public record InternalClientSettings(@Nullable String internalClientSecret) {

    /** @return the secret, empty when none is set (internal calls are then refused by auth-server) */
    public String secret() {
        return internalClientSecret == null ? "" : internalClientSecret;
    }
}
