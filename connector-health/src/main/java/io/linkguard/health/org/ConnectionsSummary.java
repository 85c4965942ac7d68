package io.linkguard.health.org;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;
import java.util.UUID;

/**
 * The answer of {@code GET /api/orgs/{orgId}/connections/summary}.
 *
 * @param orgId       the org
 * @param total       user × connector rows
 * @param byStatus    status → rows (every known status present, zero included)
 * @param byConnector connector → status → rows (every known status present, zero included)
 */
@Serdeable
public record ConnectionsSummary(UUID orgId, long total, Map<String, Long> byStatus,
                                 Map<String, Map<String, Long>> byConnector) {
}
