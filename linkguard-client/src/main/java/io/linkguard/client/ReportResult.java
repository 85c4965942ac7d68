package io.linkguard.client;

import java.util.List;
import java.util.UUID;

/**
 * What Linkguard did with each report of one request, in the order they were sent.
 *
 * @param results one item per report
 */
public record ReportResult(List<Item> results) {

    // a missing list reads as empty
    public ReportResult {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /**
     * The fate of one report.
     *
     * @param userId    the report's user
     * @param connector the report's connector
     * @param applied   false when the report was older than the state it would have overwritten
     * @param status    the connector's status after an applied report ({@code connected}, {@code needs_reauth},
     *                  {@code revoked}, {@code disabled}); null when the report was not applied
     * @param errorCode the error code the report carried (given or read from the provider's answer), if any
     */
    public record Item(UUID userId, String connector, boolean applied, String status, String errorCode) {
    }
}
