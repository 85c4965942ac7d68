package io.linkguard.health.page;

import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The query parameters of this service's lists: opaque keyset cursors, page sizes, the connector
 * filter. A cursor is the sort key of the last row of a page, tagged with the list it belongs to
 * and base64url-encoded: clients pass it back unchanged and never parse it, so the key can change
 * without breaking them. It grants nothing: every query still filters by the org or user the
 * policy admitted. Keyset (not offset) paging keeps a page one index range scan however deep the
 * client goes, and rows inserted meanwhile never shift a page.
 */
public final class Paging {

    /** Rows per page when the client does not say. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page a client may ask for. */
    public static final int MAX_LIMIT = 200;

    private Paging() {
    }

    /**
     * @param kind  which list (a cursor of one list is refused by another)
     * @param parts the last row's sort key
     * @return the cursor
     */
    public static String encode(String kind, String... parts) {
        String raw = kind + "\n" + String.join("\n", parts);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param kind   which list
     * @param cursor what the client sent, null for the first page
     * @param parts  how many key parts the list's cursors carry
     * @return the key parts, or null for the first page
     * @throws ProblemException 400 when the cursor is not one of this list's
     */
    @Nullable
    public static List<String> decode(String kind, @Nullable String cursor, int parts) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        List<String> split = List.of(raw.split("\n", -1));
        if (split.size() != parts + 1 || !split.get(0).equals(kind)) {
            throw invalid();
        }
        return split.subList(1, split.size());
    }

    /**
     * @param limit what the client sent
     * @return the page size
     * @throws ProblemException 400 outside 1..{@link #MAX_LIMIT}
     */
    public static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit: must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    /**
     * @param connector a connector filter, null for none
     * @return it, when it is a well-formed connector key
     * @throws ProblemException 400 otherwise
     */
    @Nullable
    public static String connector(@Nullable String connector) {
        if (connector == null || connector.isEmpty()) {
            return null;
        }
        // the same rule as the connector column's CHECK constraint
        if (!connector.matches("^[a-z0-9][a-z0-9_.-]{0,63}$")) {
            throw ProblemException.badRequest("connector: not a connector key");
        }
        return connector;
    }

    /** @return the 400 for a cursor that was altered or belongs to another list */
    public static ProblemException invalid() {
        return ProblemException.badRequest("cursor: not a cursor of this list; start again without one");
    }
}
