package io.linkguard.mock;

/** RFC 6749 §5.2 token endpoint errors, each with its HTTP status and a fixed description. */
enum OAuthError {
    INVALID_REQUEST("invalid_request", 400, "The request is missing a parameter or is malformed."),
    INVALID_CLIENT("invalid_client", 401, "Client authentication failed."),
    INVALID_GRANT("invalid_grant", 400, "The grant is invalid, expired, revoked or was issued to another client."),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400, "The grant type is not supported."),
    INVALID_SCOPE("invalid_scope", 400, "The requested scope exceeds the granted scope."),
    SERVER_ERROR("server_error", 500, "Injected failure."),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 429, "Too many requests, retry later.");

    final String code;
    final int status;
    final String description;

    OAuthError(String code, int status, String description) {
        this.code = code;
        this.status = status;
        this.description = description;
    }

    /** Thrown by the grant code; the handler turns it into the JSON answer. */
    static final class Exception extends RuntimeException {
        final OAuthError error;

        Exception(OAuthError error) {
            super(error.code, null, false, false);
            this.error = error;
        }
    }

    Exception toException() {
        return new Exception(this);
    }
}
