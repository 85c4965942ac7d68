package io.linkguard.auth.token;

/** RFC 6749 §5.2 (and RFC 7009/7591) error codes with their HTTP status. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400),
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    INVALID_TOKEN("invalid_token", 401),
    ACCESS_DENIED("access_denied", 403);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** @return the RFC code */
    public String code() {
        return code;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @param description fixed text, never an exception message @return the exception to throw */
    public OAuthException with(String description) {
        return new OAuthException(this, description);
    }
}
