package io.linkguard.client;

import java.time.Instant;
import java.util.List;

/**
 * A provider access token for one connection, as Linkguard hands it to a worker: valid for a while
 * yet (Linkguard refreshes it first when it is about to expire). Use it for the next poll and ask
 * again next time rather than keeping it.
 *
 * @param accessToken the provider's access token
 * @param tokenType   its type, usually {@code Bearer}
 * @param expiresAt   when the provider said it expires; null when the provider did not say
 * @param scopes      the scopes the provider granted
 */
public record FreshToken(String accessToken, String tokenType, Instant expiresAt, List<String> scopes) {

    // a missing scope list reads as empty
    public FreshToken {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** Leaves the token itself out, so that logging the object never leaks it. */
    @Override
    public String toString() {
        return "FreshToken[tokenType=" + tokenType + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
