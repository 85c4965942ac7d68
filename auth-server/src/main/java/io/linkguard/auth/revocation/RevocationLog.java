package io.linkguard.auth.revocation;

import io.linkguard.auth.token.TokenLifetimes;
import io.linkguard.sql.Sql;
import io.linkguard.http.security.RevocationEntry;
import io.micronaut.core.annotation.Nullable;
import io.linkguard.http.security.RevocationPage;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes and serves the revocation list that every service follows (table {@code revocations}).
 * Call it inside the transaction of the event that causes the entry, as that transaction's LAST
 * statement: each write takes one transaction-scoped advisory lock before its id is drawn, so
 * entries commit in id order and a follower's cursor never passes an entry that commits later;
 * taking it last keeps the lock short and never before a row lock (no lock-order cycle).
 *
 * <p>An entry lives as long as the longest access token it could match (the access-token lifetime)
 * plus a margin for clock skew; the cleanup job deletes it after that.
 */
@Singleton
public class RevocationLog {

    private static final long ADVISORY_LOCK = 0x4c4b5f5245564bL; // "LK_REVK"
    private static final Duration MARGIN = Duration.ofMinutes(1);
    static final int PAGE = 1000;

    private static final String INSERT = """
            WITH lock AS (SELECT pg_advisory_xact_lock(?))
            INSERT INTO revocations (kind, value, not_before, expires_at)
            SELECT ?, ?, ?, ? FROM lock""";

    private final Sql sql;
    private final Duration keep;

    RevocationLog(Sql sql, TokenLifetimes lifetimes) {
        this.sql = sql;
        this.keep = lifetimes.accessTokenLifetime().plus(MARGIN);
    }

    /** RFC 7009 revocation of one access token. */
    public void revokeAccessToken(UUID jti) {
        insert(RevocationEntry.JTI, jti.toString(), null);
    }

    /** A token family ended (refresh reuse, code replay, revocation of a refresh token): its access tokens carry its id as {@code sid}. */
    public void revokeFamilies(List<UUID> familyIds) {
        for (UUID id : familyIds) {
            insert(RevocationEntry.SID, id.toString(), null);
        }
    }

    /**
     * Every token of the user issued until now stops working: the user was deleted or removed from
     * their org, or changed their password. The hook for each such event.
     */
    public void revokeUser(UUID userId) {
        revokeSubject(userId.toString());
    }

    /** Every token issued until now to this subject (a user id, or a service account's client id). */
    public void revokeSubject(String subject) {
        insert(RevocationEntry.SUB, RevocationEntry.subjectDigest(subject), Instant.now());
    }

    /**
     * The list's verdict on a token, read from the table itself (so it holds from the commit of the
     * revocation, not one poll later): the same rules every service's copy of the list applies.
     *
     * @param jti      the token's {@code jti}, may be null
     * @param sid      the token's {@code sid}, may be null
     * @param subject  the token's {@code sub}, may be null
     * @param issuedAt the token's {@code iat}; without one a subject entry revokes it
     * @return whether a live entry revokes the token
     */
    public boolean revokes(@Nullable String jti, @Nullable String sid, @Nullable String subject, @Nullable Instant issuedAt) {
        String digest = subject == null ? null : RevocationEntry.subjectDigest(subject);
        // iat has whole seconds: a token of the same second as a subject's entry may predate it, so it is revoked too
        return sql.one("""
                SELECT 1 FROM revocations
                 WHERE expires_at > now()
                   AND ((kind = 'jti' AND value = ?) OR (kind = 'sid' AND value = ?)
                        OR (kind = 'sub' AND value = ?
                            AND (?::timestamptz IS NULL OR ?::timestamptz < date_trunc('second', not_before) + interval '1 second')))
                 LIMIT 1""", rs -> 1, jti, sid, digest, issuedAt, issuedAt) != null;
    }

    private void insert(String kind, String value, Instant notBefore) {
        sql.updateOne("insert revocation", INSERT, ADVISORY_LOCK, kind, value, notBefore, Instant.now().plus(keep));
    }

    /**
     * @param cursor the follower's cursor (0 for everything live)
     * @return the live entries after it, at most one page
     */
    public RevocationPage since(long cursor) {
        List<RevocationEntry> entries = sql.list("""
                SELECT id, kind, value, not_before, expires_at FROM revocations
                 WHERE id > ? AND expires_at > now() ORDER BY id LIMIT ?""",
                rs -> new RevocationEntry(rs.getLong("id"), rs.getString("kind"), rs.getString("value"),
                        Sql.instant(rs, "not_before"), Sql.instant(rs, "expires_at")),
                cursor, PAGE + 1);
        boolean more = entries.size() > PAGE;
        List<RevocationEntry> page = more ? entries.subList(0, PAGE) : entries;
        long next = page.isEmpty() ? cursor : page.get(page.size() - 1).id();
        return new RevocationPage(next, List.copyOf(page), more);
    }
}
