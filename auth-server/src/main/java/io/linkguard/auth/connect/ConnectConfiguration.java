package io.linkguard.auth.connect;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the connect flow ({@code linkguard.connect.*}).
 *
 * @param publicUrl       the gateway's public URL: connect links, the provider redirect URI
 *                        ({@code publicUrl + /connect/callback}) and the dashboard redirect
 * @param refresherUrl    token-refresher, for handing over credentials
 * @param healthUrl       connector-health, for the {@code connected} report
 * @param tokenTtl        lifetime of a connect token
 * @param stateTtl        lifetime of an OAuth state (the time a user may spend at the provider)
 * @param providerTimeout timeout of the code exchange at the provider
 */
@ConfigurationProperties("linkguard.connect")
public record ConnectConfiguration(@Bindable(defaultValue = "http://localhost:8080") String publicUrl,
                                   @Bindable(defaultValue = "http://127.0.0.1:8082") String refresherUrl,
                                   @Bindable(defaultValue = "http://127.0.0.1:8083") String healthUrl,
                                   @Bindable(defaultValue = "10m") Duration tokenTtl,
                                   @Bindable(defaultValue = "10m") Duration stateTtl,
                                   @Bindable(defaultValue = "10s") Duration providerTimeout) {

    public String redirectUri() {
        return trimmed(publicUrl) + "/connect/callback";
    }

    public String connectUrl(String connectToken) {
        return trimmed(publicUrl) + "/connect/" + connectToken;
    }

    public String dashboardUrl() {
        return trimmed(publicUrl) + "/app/";
    }

    /** The dashboard's OAuth redirect URI at the public URL (the default registered for it). */
    public String dashboardCallbackUrl() {
        return trimmed(publicUrl) + "/app/callback";
    }

    static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
