package io.linkguard.health.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code GET /api/orgs/{orgId}/connections}, ordered by user id, then connector.
 *
 * @param orgId      the org
 * @param items      this page
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConnectionsPage(UUID orgId, List<OrgConnection> items, @Nullable String nextCursor) {
}
