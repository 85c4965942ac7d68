package io.linkguard.auth.profile;

import io.linkguard.auth.provider.ProviderDefinition;
import io.micronaut.core.annotation.Nullable;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * A validated create request ({@link ProfileRequestValidator}).
 *
 * @param provider the catalog entry; null only for an {@code api_key} profile of a provider the
 *                 catalog does not know
 * @param slug     the slug asked for, or null for a generated one
 */
record NewProfile(String connectorKey, @Nullable ProviderDefinition provider, ProfileKind kind, String displayName,
                  @Nullable String slug, List<String> scopes, boolean shared, Map<String, String> connectionParams) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    /** @return the slug asked for, or one generated from {@code base} and six random characters */
    String slugOr(String base) {
        if (slug != null) {
            return slug;
        }
        StringBuilder sb = new StringBuilder(base.length() > 50 ? base.substring(0, 50) : base).append('-');
        for (int i = 0; i < 6; i++) {
            sb.append(SLUG_ALPHABET.charAt(RANDOM.nextInt(SLUG_ALPHABET.length())));
        }
        return sb.toString().replace('_', '-');
    }

    /** @return the provider key the profile is stored under (the connector's own for an unknown provider) */
    String providerKey() {
        return provider == null ? connectorKey : provider.key();
    }
}
