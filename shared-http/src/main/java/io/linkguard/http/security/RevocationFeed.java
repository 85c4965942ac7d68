package io.linkguard.http.security;

/**
 * Where a service reads the revocation list from: auth-server's internal endpoint for the other
 * services ({@link HttpRevocationFeed}), auth-server's own schema for auth-server.
 *
 * <p>Called from one polling thread at a time; a failure is thrown, never answered as an empty page
 * (an empty answer would look like "nothing revoked").
 */
public interface RevocationFeed {

    /**
     * @param cursor the cursor of the previous page, 0 for everything still live
     * @return the entries after the cursor
     */
    RevocationPage since(long cursor);
}
