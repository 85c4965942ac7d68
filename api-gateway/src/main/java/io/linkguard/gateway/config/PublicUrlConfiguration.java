package io.linkguard.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Where browsers reach the gateway ({@code linkguard.public-url}, {@code LINKGUARD_PUBLIC_URL}):
 * the server the API description names. Read at start-up: a malformed value stops the gateway
 * with the variable to set.
 *
 * @param publicUrl the public URL, {@code http(s)://host[:port]}
 */
@Context
@ConfigurationProperties("linkguard")
public record PublicUrlConfiguration(
        @NotBlank(message = "must be set: LINKGUARD_PUBLIC_URL")
        @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL: check LINKGUARD_PUBLIC_URL")
        @Bindable(defaultValue = "http://localhost:8080")
        String publicUrl) {
}
