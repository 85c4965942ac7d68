package io.linkguard.health.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.linkguard.health.status.HealthStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * One user × connector of an org, as the admin's view lists it.
 *
 * @param userId        the user
 * @param connector     the connector key
 * @param status        connected | needs_reauth | revoked | disabled
 * @param errorCode     the permanent failure's code while it needs re-auth
 * @param lastSuccessAt last successful poll
 * @param lastFailureAt last failed poll
 * @param updatedAt     when the last report was applied
 * @param authProfileId the user's connection (auth profile), when known
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OrgConnection(UUID userId, String connector, HealthStatus status, @Nullable String errorCode,
                            @Nullable Instant lastSuccessAt, @Nullable Instant lastFailureAt, Instant updatedAt,
                            @Nullable UUID authProfileId) {
}
