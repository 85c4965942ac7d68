package io.linkguard.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.net.URI;

/**
 * The services behind the gateway ({@code linkguard.auth-url}, {@code linkguard.refresher-url},
 * {@code linkguard.health-url}, from {@code AUTH_URL}, {@code REFRESHER_URL}, {@code HEALTH_URL}).
 * Read at start-up: a missing or malformed URL stops the gateway with the variable to set, instead
 * of every proxied request failing later.
 *
 * @param authUrl      auth-server's base URL
 * @param refresherUrl token-refresher's base URL
 * @param healthUrl    connector-health's base URL
 */
@Context
@ConfigurationProperties("linkguard")
public record ServiceUrls(
        @NotBlank(message = "must be set: AUTH_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check AUTH_URL")
        String authUrl,
        @NotBlank(message = "must be set: REFRESHER_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check REFRESHER_URL")
        String refresherUrl,
        @NotBlank(message = "must be set: HEALTH_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check HEALTH_URL")
        String healthUrl) {

    /** @return auth-server's address */
    public URI auth() {
        return URI.create(authUrl);
    }

    /** @return token-refresher's address */
    public URI refresher() {
        return URI.create(refresherUrl);
    }

    /** @return connector-health's address */
    public URI health() {
        return URI.create(healthUrl);
    }
}
