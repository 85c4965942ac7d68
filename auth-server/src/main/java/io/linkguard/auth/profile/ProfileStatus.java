package io.linkguard.auth.profile;

/**
 * Where an auth profile stands. An {@code oauth_account} starts {@code pending_auth}, becomes
 * {@code active} when the connect callback stores its credential, and {@code needs_reauth} when
 * token-refresher finds the grant gone (a reconnect makes it {@code active} again); {@code oauth_app}
 * and {@code api_key} profiles are {@code active} from the start.
 */
public enum ProfileStatus implements StoredValue {

    PENDING_AUTH("pending_auth"),
    ACTIVE("active"),
    NEEDS_REAUTH("needs_reauth"),
    REVOKED("revoked");

    private final String value;

    ProfileStatus(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
