package io.linkguard.auth.profile;

/**
 * What an auth profile holds: a user's connected account at a provider ({@code oauth_account}), an
 * org's own OAuth app ({@code oauth_app}: its client id and sealed secret), or an API key
 * ({@code api_key}, sealed).
 */
public enum ProfileKind implements StoredValue {

    OAUTH_ACCOUNT("oauth_account"),
    OAUTH_APP("oauth_app"),
    API_KEY("api_key");

    private final String value;

    ProfileKind(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
