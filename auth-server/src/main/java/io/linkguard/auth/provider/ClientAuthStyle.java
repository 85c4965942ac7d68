package io.linkguard.auth.provider;

/** How a provider wants the client to authenticate at its token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuthStyle {
    /** {@code client_secret_basic}: HTTP Basic with the url-encoded id and secret. */
    BASIC,
    /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the form body. */
    POST
}
