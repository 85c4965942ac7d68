package io.linkguard.auth.token;

import io.linkguard.sql.Sql;
import io.linkguard.auth.revocation.RevocationLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Codes, token families and refresh tokens. Access tokens have no row: a JWT carries what it
 * grants, and its revocation is an entry on the revocation list ({@link RevocationLog}). Concurrency contract: a code
 * and a refresh token are each consumed by ONE conditional UPDATE … RETURNING; if two threads
 * present the same one at once, exactly one gets the row and the other gets null.
 */
@Singleton
public class TokenStore {

    /** A consumed authorization code. */
    public record Code(String clientId, UUID userId, String redirectUri, String scope, String codeChallenge) {
    }

    private final Sql sql;
    private final RevocationLog revocations;

    TokenStore(Sql sql, RevocationLog revocations) {
        this.sql = sql;
        this.revocations = revocations;
    }

    public void insertCode(String codeHash, String clientId, UUID userId, String redirectUri, String scope,
                           String codeChallenge, Instant expiresAt) {
        sql.updateOne("insert authorization code", """
                INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", codeHash, clientId, userId, redirectUri, scope, codeChallenge, expiresAt);
    }

    /** One-time use: null when the code is unknown, used or expired. */
    @Nullable
    public Code consumeCode(String codeHash) {
        return sql.one("""
                UPDATE authorization_codes SET used = true, used_at = now()
                 WHERE code_hash = ? AND used = false AND expires_at > now()
                RETURNING client_id, user_id, redirect_uri, scope, code_challenge""",
                rs -> new Code(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5)),
                codeHash);
    }

    /** @return whether the code exists and was already used (a replay) */
    public boolean codeWasUsed(String codeHash) {
        return sql.one("SELECT 1 FROM authorization_codes WHERE code_hash = ? AND used", rs -> 1, codeHash) != null;
    }

    /**
     * A replayed code: every token issued from it stops working (RFC 6749 §4.1.2), at every service
     * (the families go on the revocation list in the same transaction).
     */
    @Transactional
    public int revokeFamiliesOfCode(String codeHash) {
        List<UUID> ids = sql.list("UPDATE token_families SET revoked_at = now() WHERE code_hash = ? AND revoked_at IS NULL RETURNING id",
                rs -> rs.getObject(1, UUID.class), codeHash);
        revocations.revokeFamilies(ids);
        return ids.size();
    }

    public void insertFamily(UUID id, String clientId, UUID userId, String scope, @Nullable String codeHash, Instant expiresAt) {
        sql.updateOne("insert token family", """
                INSERT INTO token_families (id, client_id, user_id, scope, code_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?)""",
                id, clientId, userId, scope, codeHash, expiresAt);
    }

    public void insertRefreshToken(String tokenHash, UUID familyId, Instant expiresAt) {
        sql.updateOne("insert refresh token", "INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?, ?, ?)",
                tokenHash, familyId, expiresAt);
    }

    /**
     * A rotated refresh token: its family, and the user's org and role as they are now (a demoted
     * admin loses {@code admin} at the next refresh).
     */
    public record Rotation(UUID familyId, UUID userId, String scope, UUID orgId, String role) {
    }

    /**
     * Rotation, ONE statement (so one transaction without BEGIN/COMMIT round trips): marks the
     * presented token used only if it is unused, unexpired, of this client, its family is alive and
     * within its absolute lifetime and its user still exists; inserts the next token of the family
     * (never outliving the family); and reads the user's current org and role. Two requests with
     * the same token: the second waits for the first's row lock, re-checks {@code used} and gets
     * nothing.
     *
     * @param nextHash     hash of the next refresh token
     * @param nextLifetime the next token's own lifetime (capped by the family's expiry)
     * @return the rotation, or null when the presented token cannot be used
     */
    @Nullable
    public Rotation rotateRefreshToken(String tokenHash, String clientId, String nextHash, Duration nextLifetime) {
        return sql.one("""
                WITH consumed AS (
                  UPDATE refresh_tokens rt SET used = true, used_at = now()
                    FROM token_families f
                    JOIN users u ON u.id = f.user_id
                    JOIN memberships m ON m.user_id = u.id AND m.org_id = u.org_id
                   WHERE rt.token_hash = ? AND rt.used = false AND rt.expires_at > now()
                     AND f.id = rt.family_id AND f.client_id = ? AND f.revoked_at IS NULL AND f.expires_at > now()
                  RETURNING f.id, f.user_id, f.scope, f.expires_at, u.org_id, m.role),
                next AS (
                  INSERT INTO refresh_tokens (token_hash, family_id, expires_at)
                  SELECT ?, c.id, LEAST(now() + make_interval(secs => ?), c.expires_at) FROM consumed c)
                SELECT id, user_id, scope, org_id, role FROM consumed""",
                rs -> new Rotation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5)),
                tokenHash, clientId, nextHash, (double) nextLifetime.toSeconds());
    }

    /**
     * A refresh token as found by its hash: its family, whether it was used, and the client of the family.
     */
    public record SeenRefreshToken(UUID familyId, boolean used, String clientId) {
    }

    /**
     * What a refresh token that could not be consumed is: its family and whether it was used.
     *
     * @return the token, or null when unknown
     */
    @Nullable
    public SeenRefreshToken inspectRefreshToken(String tokenHash) {
        return sql.one("""
                SELECT rt.family_id, rt.used, f.client_id FROM refresh_tokens rt JOIN token_families f ON f.id = rt.family_id
                 WHERE rt.token_hash = ?""",
                rs -> new SeenRefreshToken(rs.getObject(1, UUID.class), rs.getBoolean(2), rs.getString(3)), tokenHash);
    }

    /**
     * Revokes a family: its refresh tokens can no longer be used, and its access tokens (which carry
     * the family id as {@code sid}) are refused by every service once the revocation list reaches it.
     */
    @Transactional
    public int revokeFamily(UUID familyId) {
        int n = sql.update("UPDATE token_families SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", familyId);
        if (n > 0) {
            revocations.revokeFamilies(List.of(familyId));
        }
        return n;
    }

}
