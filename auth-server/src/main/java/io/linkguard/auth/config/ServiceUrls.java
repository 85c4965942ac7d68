package io.linkguard.auth.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;

/**
 * The services auth-server calls ({@code linkguard.services.*}): token-refresher, for handing over
 * and deleting credentials and user deletions; connector-health, for {@code connected} reports and
 * user deletions. One key each: application.yml fills them from {@code REFRESHER_URL} /
 * {@code HEALTH_URL}, and still honours the older per-feature keys
 * ({@code linkguard.connect.refresher-url}, {@code linkguard.deletion.refresher-url}, and the same
 * for health) when a deployment sets them.
 *
 * @param refresherUrl token-refresher's base URL
 * @param healthUrl    connector-health's base URL
 */
@Context
@ConfigurationProperties("linkguard.services")
public record ServiceUrls(@NotBlank(message = "must be set: REFRESHER_URL") String refresherUrl,
                          @NotBlank(message = "must be set: HEALTH_URL") String healthUrl) {
}
