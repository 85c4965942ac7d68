package io.linkguard.auth.provider;

/** How the body of a token request is encoded. */
public enum TokenBodyFormat {
    /** {@code application/x-www-form-urlencoded}, as RFC 6749 §4.1.3 says. */
    FORM,
    /** {@code application/json}, for providers that document only that (Notion). */
    JSON
}
