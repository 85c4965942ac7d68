package io.linkguard.client;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.UUID;

/**
 * One of a user's connections as a worker sees it: no token, only the id to ask
 * {@link LinkguardClient#freshToken(UUID)} for.
 *
 * @param id        the connection's id (its auth profile id, {@code authProfileId} on the wire)
 * @param userId    the user it belongs to
 * @param connector the connector key, e.g. {@code github}
 * @param provider  the OAuth provider behind the connector
 * @param status    {@code active}, {@code needs_reauth} or {@code refresh_uncertain} (others may be added)
 * @param expiresAt when the stored provider token expires; null when unknown or never
 */
public record Connection(@JsonProperty("authProfileId") UUID id, UUID userId, String connector, String provider,
                         String status, Instant expiresAt) {

    /** @return whether Linkguard can still hand out tokens for it (it does not need a reconnect) */
    public boolean usable() {
        return !"needs_reauth".equals(status);
    }
}
