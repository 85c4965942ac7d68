package io.linkguard.refresher.provider;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How to refresh at a provider: its token endpoint and the client to authenticate with. Normally
 * built from auth-server's one provider definition ({@link ProviderDirectory}); the properties
 * {@code linkguard.refresher.providers.<key>.*} are an optional local override.
 *
 * @param key                  provider key, e.g. {@code github}
 * @param tokenUrl             token endpoint
 * @param clientId             client id
 * @param clientSecret         client secret
 * @param authStyle            {@code basic} or {@code post}
 * @param maxRequestsPerSecond request budget towards the token endpoint
 * @param revokeUrl            RFC 7009 revocation endpoint, null when the provider has none
 */
@EachProperty("linkguard.refresher.providers")
public record ProviderConfiguration(@Parameter String key, String tokenUrl, String clientId, String clientSecret,
                                    @Bindable(defaultValue = "basic") String authStyle,
                                    @Bindable(defaultValue = "20") double maxRequestsPerSecond,
                                    @Nullable String revokeUrl) {
}
