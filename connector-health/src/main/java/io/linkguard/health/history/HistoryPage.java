package io.linkguard.health.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code GET /api/connectors/{userId}/history}: newest first.
 *
 * @param userId     the user
 * @param items      this page
 * @param nextCursor pass as {@code cursor} for the next (older) page; null on the last page
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryPage(UUID userId, List<HistoryEntry> items, @Nullable String nextCursor) {
}
