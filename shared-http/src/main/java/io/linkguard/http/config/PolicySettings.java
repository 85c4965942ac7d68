package io.linkguard.http.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The access policy every service enforces ({@code linkguard.security.policy.*}).
 *
 * @param internalRoutes whether this server answers {@code /internal/**} at all: the public gateway
 *                       sets it to false, so there those routes are 404 whatever the token
 */
@ConfigurationProperties("linkguard.security.policy")
public record PolicySettings(@Bindable(defaultValue = "true") boolean internalRoutes) {
}
