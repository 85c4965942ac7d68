package io.linkguard.http.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the revocation list ({@code linkguard.security.revocation.*}).
 *
 * @param enabled      follow the list at all (tests of one service switch it off)
 * @param url          base URL of auth-server; services other than auth-server follow
 *                     {@code {url}/internal/revocations}
 * @param pollInterval how often the list is asked for news
 * @param maxStaleness how long the list may go without a successful refresh before user and service-account
 *                     tokens are refused (fail closed) and health reports DOWN
 */
@ConfigurationProperties("linkguard.security.revocation")
public record RevocationConfiguration(@Bindable(defaultValue = "true") boolean enabled,
                                      @Nullable String url,
                                      @Bindable(defaultValue = "500ms") Duration pollInterval,
                                      @Bindable(defaultValue = "10s") Duration maxStaleness) {
}
