package io.linkguard.health.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Where browsers reach Linkguard: the gateway's public URL ({@code linkguard.public-url},
 * {@code LINKGUARD_PUBLIC_URL}). The reconnect links of the status answer and of the webhooks are
 * built on it. Read at start-up: a missing or malformed value stops the service with the variable to set.
 *
 * @param publicUrl the public URL, {@code http(s)://host[:port]}
 */
@Context
@ConfigurationProperties("linkguard")
public record PublicUrlConfiguration(
        @NotBlank(message = "must be set: LINKGUARD_PUBLIC_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check LINKGUARD_PUBLIC_URL")
        String publicUrl) {

    /** @return the public URL without a trailing slash, ready for a path */
    public String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** @return where the user reconnects {@code connector} (the dashboard turns it into the connect flow) */
    public String reconnectUrl(String connector) {
        return base() + "/reconnect/" + connector;
    }
}
