package io.linkguard.http.path;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.Set;

/**
 * Settings of {@link CanonicalPathFilter}.
 *
 * @param enabled              whether non-canonical paths are refused ({@code linkguard.http.canonical-paths.enabled})
 * @param trailingSlashAllowed exact paths that may end with {@code /} besides {@code /} itself (the gateway's
 *                             {@code /app/}); every other path with a trailing slash is refused
 */
@ConfigurationProperties("linkguard.http.canonical-paths")
public record CanonicalPathConfiguration(@Bindable(defaultValue = "true") boolean enabled,
                                         @Bindable(defaultValue = "") Set<String> trailingSlashAllowed) {

    /** Always a set, possibly empty. */
    public CanonicalPathConfiguration {
        trailingSlashAllowed = trailingSlashAllowed == null ? Set.of() : Set.copyOf(trailingSlashAllowed);
    }
}
