package io.linkguard.health.status;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The answer of {@code GET /api/connectors/{userId}/status} (docs/API.md, "Connector health").
 *
 * @param userId         the user
 * @param connectors     connector key → its state
 * @param anyNeedsReauth whether any connector needs the user to reconnect
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConnectorStatus(UUID userId, Map<String, Connector> connectors, boolean anyNeedsReauth) {

    /**
     * @param status        connected | needs_reauth | revoked | disabled
     * @param errorCode     the permanent failure's code while it needs re-auth
     * @param lastSuccessAt last successful poll
     * @param lastFailureAt last failed poll
     * @param reconnectUrl  where the user reconnects, while it needs re-auth
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Connector(HealthStatus status, @Nullable String errorCode, @Nullable Instant lastSuccessAt,
                            @Nullable Instant lastFailureAt, @Nullable String reconnectUrl) {
    }
}
