package io.linkguard.health.report;

import io.linkguard.health.status.HealthStatus;
import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * What happened to each report of a request, in request order.
 *
 * @param results one entry per report
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReportResult(List<Item> results) {

    /**
     * @param userId    the report's user
     * @param connector the report's connector
     * @param applied   false when the report was older than the state it would overwrite
     * @param status    the connector's status after the report
     * @param errorCode the error code the report carried (explicit or parsed), if any
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Item(UUID userId, String connector, boolean applied, @Nullable HealthStatus status,
                       @Nullable String errorCode) {
    }
}
