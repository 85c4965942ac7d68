package io.linkguard.auth.authorize;

import io.micronaut.core.annotation.Nullable;

/**
 * A refused authorization request. With a validated redirect URI the error goes back to the
 * client (RFC 6749 §4.1.2.1); without one it is shown to the user and never redirected, so the
 * endpoint cannot be used as an open redirector.
 */
class AuthorizeError extends RuntimeException {

    final String code;
    final String description;
    @Nullable
    final String redirectUri;
    @Nullable
    final String state;

    AuthorizeError(String code, String description, @Nullable String redirectUri, @Nullable String state) {
        super(code, null, false, false);
        this.code = code;
        this.description = description;
        this.redirectUri = redirectUri;
        this.state = state;
    }
}
