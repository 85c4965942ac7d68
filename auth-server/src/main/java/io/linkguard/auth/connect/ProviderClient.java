package io.linkguard.auth.connect;

/** The OAuth client Linkguard is at a provider, for one org. */
record ProviderClient(String clientId, String clientSecret) {

    @Override
    public String toString() {
        return "ProviderClient[" + clientId + "]";
    }
}
