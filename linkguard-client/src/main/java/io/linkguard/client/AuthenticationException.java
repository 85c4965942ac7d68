package io.linkguard.client;

import java.util.Map;

/**
 * The worker could not authenticate: the token endpoint refused its client credentials or scopes
 * (then {@link #oauthError()} holds the RFC 6749 error code, e.g. {@code invalid_client}), or the API
 * still answered 401 with a token obtained just before. Retrying will not help until the
 * credentials or the service account are fixed.
 */
public class AuthenticationException extends LinkguardException {

    private static final long serialVersionUID = 1L;

    private final String oauthError;

    /**
     * @param status     the HTTP status
     * @param type       the problem type URI, or {@code about:blank} for a token endpoint refusal
     * @param title      the problem's title, or the OAuth error code
     * @param detail     the problem's detail, or the OAuth {@code error_description}
     * @param extensions the problem's further members
     * @param oauthError the token endpoint's error code, or null when the API refused
     */
    public AuthenticationException(int status, String type, String title, String detail, Map<String, Object> extensions,
                                   String oauthError) {
        super(status, type, title, detail, extensions);
        this.oauthError = oauthError;
    }

    /** @return the token endpoint's RFC 6749 error code ({@code invalid_client}, {@code invalid_scope}…), or null */
    public String oauthError() {
        return oauthError;
    }
}
