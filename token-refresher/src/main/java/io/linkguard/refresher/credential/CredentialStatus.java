package io.linkguard.refresher.credential;

/**
 * Where a credential stands, stored (and reported) by its lowercase value. Every state has a way
 * out: an active or uncertain credential is refreshed at its next time; one that needs a reconnect
 * becomes active again when the user reconnects (the connect callback stores it afresh).
 */
public enum CredentialStatus {
    /** refreshable; the last attempt succeeded or failed only transiently */
    ACTIVE("active"),
    /** a request may have reached the provider without an answer: retried once, carefully, later */
    REFRESH_UNCERTAIN("refresh_uncertain"),
    /** the provider no longer accepts the grant (or it failed for days): only a reconnect helps */
    NEEDS_REAUTH("needs_reauth");

    private final String value;

    CredentialStatus(String value) {
        this.value = value;
    }

    /** @return the stored and reported value */
    public String value() {
        return value;
    }

    /** @return the status stored as {@code value} */
    public static CredentialStatus of(String value) {
        for (CredentialStatus s : values()) {
            if (s.value.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown credential status: " + value);
    }
}
