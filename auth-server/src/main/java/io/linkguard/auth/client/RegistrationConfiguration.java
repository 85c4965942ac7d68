package io.linkguard.auth.client;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Dynamic client registration ({@code linkguard.auth.registration.*}, {@code /oauth/register}).
 *
 * @param open               anyone may register a client ({@code LINKGUARD_REGISTRATION_OPEN}, default false)
 * @param initialAccessToken the RFC 7591 initial access token that allows a registration while it is
 *                           not open ({@code LINKGUARD_REGISTRATION_TOKEN}); none: only an open
 *                           registration accepts clients
 */
@Context
@ConfigurationProperties("linkguard.auth.registration")
public record RegistrationConfiguration(@Bindable(defaultValue = "false") boolean open,
                                        @Nullable String initialAccessToken) {

    /** @return the initial access token, empty when none is configured */
    String token() {
        return initialAccessToken == null ? "" : initialAccessToken;
    }
}
