package io.linkguard.auth.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Where browsers reach Linkguard: the gateway's public URL ({@code linkguard.public-url},
 * {@code LINKGUARD_PUBLIC_URL}). The links auth-server advertises (discovery metadata) are built on
 * it, and its scheme decides whether the sign-in cookies are {@code Secure}.
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
        return withoutTrailingSlash(publicUrl);
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
