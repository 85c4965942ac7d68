package io.linkguard.auth.client;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The secret of Linkguard's own services' clients ({@code linkguard.internal-client-secret}).
 *
 * @param internalClientSecret what token-refresher, connector-health and the gateway authenticate to
 *                             auth-server with ({@code LINKGUARD_INTERNAL_CLIENT_SECRET}, at least 16
 *                             characters; stored hashed)
 */
@Context
@ConfigurationProperties("linkguard")
public record InternalClientConfiguration(
        @NotNull(message = "must be set: LINKGUARD_INTERNAL_CLIENT_SECRET (at least 16 characters); the services use it to authenticate to each other")
        @Size(min = 16, message = "must be set: LINKGUARD_INTERNAL_CLIENT_SECRET (at least 16 characters); the services use it to authenticate to each other")
        String internalClientSecret) {
}
