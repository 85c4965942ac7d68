package io.linkguard.refresher.refresh;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A connection as a worker looks it up (never a token): the id to ask {@code access-token} for.
 *
 * @param authProfileId the connection's id (its auth profile)
 * @param status        active | needs_reauth | refresh_uncertain
 */
@Serdeable
record ConnectionSummary(UUID authProfileId, UUID userId, String connector, String provider, String status,
                         @Nullable Instant expiresAt) {

    /** The answer of {@code GET /api/connections?userId=&connector=}. */
    @Serdeable
    record Page(List<ConnectionSummary> connections) {
    }
}
