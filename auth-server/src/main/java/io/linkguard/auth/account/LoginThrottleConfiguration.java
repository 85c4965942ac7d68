package io.linkguard.auth.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Sign-in throttling ({@code linkguard.auth.login-throttle.*}).
 *
 * @param accountFreeFailures failures an account (or a known device) may have before each further
 *                            attempt must wait
 * @param accountBaseDelay    the first wait; it doubles with every further failure
 * @param accountMaxDelay     the longest wait: a guesser is slowed, the owner is never locked out for long
 * @param addressMaxFailures  failures one client address may have per window; high enough that one
 *                            office behind one NAT address is not locked out by one person
 * @param addressWindow       the window of {@code addressMaxFailures}
 * @param deviceLifetime      how long a browser stays a known device after a successful sign-in
 */
@ConfigurationProperties("linkguard.auth.login-throttle")
public record LoginThrottleConfiguration(@Bindable(defaultValue = "5") int accountFreeFailures,
                                         @Bindable(defaultValue = "1s") Duration accountBaseDelay,
                                         @Bindable(defaultValue = "60s") Duration accountMaxDelay,
                                         @Bindable(defaultValue = "100") int addressMaxFailures,
                                         @Bindable(defaultValue = "10m") Duration addressWindow,
                                         @Bindable(defaultValue = "90d") Duration deviceLifetime) {
}
