package io.linkguard.auth.token;

/** An OAuth endpoint's refusal, answered as RFC 6749 §5.2 JSON. */
public class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String description;

    OAuthException(OAuthError error, String description) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
    }

    /** @return the error */
    public OAuthError error() {
        return error;
    }

    /** @return the fixed description */
    public String description() {
        return description;
    }
}
