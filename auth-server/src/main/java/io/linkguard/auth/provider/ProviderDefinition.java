package io.linkguard.auth.provider;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * One entry of the provider catalog (docs/connect-flow.md, "Provider catalog").
 *
 * @param key                  catalog key, e.g. {@code github}
 * @param name                 display name
 * @param authorizeUrl         authorization endpoint
 * @param tokenUrl             token endpoint
 * @param revokeUrl            RFC 7009 revocation endpoint, null when the provider has none
 * @param defaultScopes        scopes requested when the profile names none
 * @param scopeSeparator       how scopes are joined in the authorize request
 * @param pkce                 whether the provider accepts PKCE S256
 * @param authorizeParams      extra authorize query parameters (e.g. Google's {@code access_type=offline})
 * @param clientAuth           token endpoint client authentication
 * @param refreshRotates       whether the provider rotates refresh tokens
 * @param devOnly              a dev/test provider (the mock), present only when configured
 */
public record ProviderDefinition(String key,
                                 String name,
                                 String authorizeUrl,
                                 String tokenUrl,
                                 @Nullable String revokeUrl,
                                 List<String> defaultScopes,
                                 String scopeSeparator,
                                 boolean pkce,
                                 Map<String, String> authorizeParams,
                                 ClientAuthStyle clientAuth,
                                 boolean refreshRotates,
                                 boolean devOnly) {

    /** Scopes joined the way this provider expects them. */
    public String joinScopes(List<String> scopes) {
        return String.join(scopeSeparator, scopes);
    }
}
