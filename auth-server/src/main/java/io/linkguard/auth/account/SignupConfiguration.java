package io.linkguard.auth.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Self-service sign-up ({@code linkguard.auth.signup-enabled}).
 *
 * @param signupEnabled whether {@code POST /api/signup} creates orgs ({@code LINKGUARD_SIGNUP_ENABLED},
 *                      default true; compose and Kubernetes switch it off)
 */
@Context
@ConfigurationProperties("linkguard.auth")
public record SignupConfiguration(@Bindable(defaultValue = "true") boolean signupEnabled) {
}
