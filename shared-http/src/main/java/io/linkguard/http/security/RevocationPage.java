package io.linkguard.http.security;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An answer of {@code GET /internal/revocations?since=cursor}.
 *
 * @param cursor  pass it as {@code since} next time: the highest entry id the answer covers
 * @param entries the live entries after the given cursor, in id order
 * @param more    whether more entries follow (ask again at once with the new cursor)
 */
@Serdeable
public record RevocationPage(long cursor, List<RevocationEntry> entries, boolean more) {

    /** An empty list may be left out of the JSON (the serializer's default): read it as empty. */
    public RevocationPage {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
