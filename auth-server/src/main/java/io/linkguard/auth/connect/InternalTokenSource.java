package io.linkguard.auth.connect;

/**
 * An internal token ({@code scope=internal}, no {@code org_id}) for auth-server's own calls to
 * token-refresher and connector-health. auth-server signs these itself (ARCHITECTURE.md).
 */
public interface InternalTokenSource {

    /** A valid internal bearer token. */
    String internalToken();
}
