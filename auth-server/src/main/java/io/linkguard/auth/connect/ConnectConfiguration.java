package io.linkguard.auth.connect;

import io.linkguard.http.config.PublicUrl;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * Settings of the connect flow ({@code linkguard.connect.*}).
 *
 * @param publicUrl       the gateway's public URL: connect links, the provider redirect URI
 *                        ({@code publicUrl + /connect/callback}) and the dashboard redirect; the
 *                        site's {@code LINKGUARD_PUBLIC_URL} unless set apart
 * @param tokenTtl        lifetime of a connect token
 * @param stateTtl        lifetime of an OAuth state (the time a user may spend at the provider)
 * @param providerTimeout timeout of the code exchange at the provider
 *
 * The connect jobs' timing is read by their {@code @Scheduled} annotations: {@code report-interval}
 * (5s) and {@code report-initial-delay} (5s) for delivering {@code connected} reports,
 * {@code cleanup-interval} (15m) and {@code cleanup-initial-delay} (5m) for deleting expired connect
 * tokens and states.
 */
@Context
@ConfigurationProperties("linkguard.connect")
public record ConnectConfiguration(@NotBlank(message = "must be set: LINKGUARD_PUBLIC_URL")
                                   @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check LINKGUARD_PUBLIC_URL")
                                   @Bindable(defaultValue = "http://localhost:8080") String publicUrl,
                                   @NotNull @Bindable(defaultValue = "10m") Duration tokenTtl,
                                   @NotNull @Bindable(defaultValue = "10m") Duration stateTtl,
                                   @NotNull @Bindable(defaultValue = "10s") Duration providerTimeout) {

    public String redirectUri() {
        return base() + "/connect/callback";
    }

    public String connectUrl(String connectToken) {
        return base() + "/connect/" + connectToken;
    }

    public String dashboardUrl() {
        return base() + "/app/";
    }

    /** The dashboard's OAuth redirect URI at the public URL (the default registered for it). */
    public String dashboardCallbackUrl() {
        return base() + "/app/callback";
    }

    /** @return whether the connect cookie must be {@code Secure}: the public URL is https */
    public boolean secureCookies() {
        return publicUrl.startsWith("https://");
    }

    private String base() {
        return PublicUrl.withoutTrailingSlash(publicUrl);
    }
}
