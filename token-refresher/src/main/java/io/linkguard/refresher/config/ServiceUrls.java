package io.linkguard.refresher.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Where token-refresher reaches the other services ({@code linkguard.*-url}), checked at start-up.
 *
 * @param authUrl   auth-server ({@code AUTH_URL}): provider definitions, internal tokens, reports
 * @param healthUrl connector-health ({@code HEALTH_URL}): status reports, automation pause
 */
@Context
@ConfigurationProperties("linkguard")
public record ServiceUrls(
        @NotBlank(message = "must be set: AUTH_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check AUTH_URL") String authUrl,
        @NotBlank(message = "must be set: HEALTH_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check HEALTH_URL") String healthUrl) {
}
