package io.linkguard.auth.provider;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

/**
 * The deployment's own catalog entries ({@code linkguard.provider-catalog.*}).
 *
 * @param file a YAML file whose entries add to or replace the built-in ones ({@code LINKGUARD_PROVIDERS_FILE});
 *             none: the built-in catalog alone
 */
@Context
@ConfigurationProperties("linkguard.provider-catalog")
public record ProviderCatalogConfiguration(@Nullable String file) {

    /** @return whether a file is named */
    boolean hasFile() {
        return file != null && !file.isBlank();
    }
}
