package io.linkguard.http.security;

/**
 * A service's own internal token ({@code scope=internal}) for calls to the other services; each
 * service plugs in the component it already has, so the shared code never holds a client secret.
 */
public interface InternalTokenProvider {

    /** @return a valid internal bearer token */
    String internalToken();

    /** Forgets the cached token (after a 401), so the next call obtains a new one. */
    default void invalidate() {
    }
}
