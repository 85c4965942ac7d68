package io.linkguard.refresher.provider;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * A provider's token endpoint and this deployment's client credentials for it
 * ({@code linkguard.refresher.providers.<key>.*}).
 *
 * @param key                  provider key, e.g. {@code github}
 * @param tokenUrl             token endpoint
 * @param clientId             client id
 * @param clientSecret         client secret
 * @param authStyle            {@code basic} or {@code post}
 * @param maxRequestsPerSecond request budget towards the token endpoint
 */
@EachProperty("linkguard.refresher.providers")
public record ProviderConfiguration(@Parameter String key, String tokenUrl, String clientId, String clientSecret,
                                    @Bindable(defaultValue = "basic") String authStyle,
                                    @Bindable(defaultValue = "20") double maxRequestsPerSecond) {
}
