package io.linkguard.auth.client;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.List;

/**
 * The dashboard's client ({@code linkguard.auth.dashboard-redirect-uris}).
 *
 * @param dashboardRedirectUris its redirect URIs, comma-separated ({@code LINKGUARD_DASHBOARD_REDIRECT_URIS});
 *                              none: the public URL's {@code /app/callback}
 */
@Context
@ConfigurationProperties("linkguard.auth")
public record DashboardClientConfiguration(@Nullable String dashboardRedirectUris) {

    /** @return the configured redirect URIs, empty when none is named */
    List<String> redirects() {
        String uris = dashboardRedirectUris == null ? "" : dashboardRedirectUris;
        return Arrays.stream(uris.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
