package io.linkguard.http.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Where browsers reach Linkguard: the gateway's public URL ({@code linkguard.public-url},
 * {@code LINKGUARD_PUBLIC_URL}), the one address a deployment must name. Every service builds the
 * links it hands out on it (discovery metadata, reconnect links in status answers, webhooks and
 * worker problems, the API description's server); its scheme decides whether cookies are
 * {@code Secure}. Read at start-up: a missing or malformed value stops the service with the
 * variable to set.
 *
 * @param publicUrl the public URL, {@code http(s)://host[:port]}
 */
@Context
@ConfigurationProperties("linkguard")
public record PublicUrl(
        @NotBlank(message = "must be set: LINKGUARD_PUBLIC_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check LINKGUARD_PUBLIC_URL")
        @Bindable(defaultValue = "http://localhost:8080")
        String publicUrl) {

    /** @return the public URL without a trailing slash, ready for a path */
    public String base() {
        return withoutTrailingSlash(publicUrl);
    }

    /** @return where the user reconnects {@code connector} (the dashboard turns it into the connect flow) */
    public String reconnectUrl(String connector) {
        return base() + "/reconnect/" + connector;
    }

    /** @return whether cookies must be {@code Secure}: the site is served over https */
    public boolean secureCookies() {
        return publicUrl.startsWith("https://");
    }

    /** @return {@code url} without its trailing slash */
    public static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
