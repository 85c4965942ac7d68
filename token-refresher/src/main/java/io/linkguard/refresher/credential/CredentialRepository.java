package io.linkguard.refresher.credential;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Credentials. Concurrency contract: every change after a refresh is a compare-and-swap on
 * {@code version}; of two writers that read the same version, exactly one succeeds and the
 * other must re-read (and use the winner's token). Nothing ever clears a token.
 */
@Singleton
public class CredentialRepository {

    private static final String COLUMNS = """
            auth_profile_id, org_id, user_id, connector_key, provider_key, key_id, access_token_ct, refresh_token_ct,
            token_type, expires_at, scopes, status, version, consecutive_failures, first_failure_at, next_attempt_at,
            last_refreshed_at, client_id""";

    private final Sql sql;

    CredentialRepository(Sql sql) {
        this.sql = sql;
    }

    @Nullable
    public Credential find(UUID id) {
        return sql.one("SELECT " + COLUMNS + " FROM credentials WHERE auth_profile_id = ?", CredentialRepository::map, id);
    }

    /** Stores or replaces a credential from the connect callback: a fresh start (active, failures cleared). */
    public long upsert(UUID id, UUID orgId, UUID userId, String connectorKey, String providerKey, String keyId, byte[] access,
                       @Nullable byte[] refresh, String tokenType, @Nullable Instant expiresAt, String[] scopes,
                       @Nullable Instant nextRefreshAt, @Nullable String clientId) {
        return sql.one("""
                INSERT INTO credentials AS c (auth_profile_id, org_id, user_id, connector_key, provider_key, key_id, access_token_ct,
                       refresh_token_ct, token_type, expires_at, scopes, status, next_refresh_at, last_refreshed_at, client_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, now(), ?)
                ON CONFLICT (auth_profile_id) DO UPDATE SET org_id = EXCLUDED.org_id, user_id = EXCLUDED.user_id,
                  connector_key = EXCLUDED.connector_key, provider_key = EXCLUDED.provider_key, key_id = EXCLUDED.key_id,
                  access_token_ct = EXCLUDED.access_token_ct, refresh_token_ct = EXCLUDED.refresh_token_ct,
                  token_type = EXCLUDED.token_type, expires_at = EXCLUDED.expires_at, scopes = EXCLUDED.scopes, status = 'active',
                  version = c.version + 1, consecutive_failures = 0, first_failure_at = NULL, last_error = NULL,
                  next_attempt_at = NULL, next_refresh_at = EXCLUDED.next_refresh_at, lease_owner = NULL, lease_until = NULL,
                  last_refreshed_at = now(), updated_at = now(), client_id = EXCLUDED.client_id
                RETURNING version""", rs -> rs.getLong(1),
                id, orgId, userId, connectorKey, providerKey, keyId, access, refresh, tokenType, expiresAt, scopes, nextRefreshAt, clientId);
    }

    /**
     * A refresh's result, saved only if nobody changed the row since {@code expectedVersion}. The same
     * statement gives up {@code leaseOwner}'s lease (only that owner's: a lease taken over by someone
     * else stays theirs), so a successful refresh costs one write.
     *
     * @return the saved row, or null when the row changed meanwhile
     */
    @Nullable
    public Credential saveRefreshed(UUID id, long expectedVersion, String keyId, byte[] access, @Nullable byte[] refresh,
                                    String tokenType, @Nullable Instant expiresAt, @Nullable String[] scopes,
                                    Instant nextRefreshAt, String leaseOwner) {
        return sql.one("""
                UPDATE credentials SET key_id = ?, access_token_ct = ?, refresh_token_ct = COALESCE(?, refresh_token_ct),
                       token_type = ?, expires_at = ?, scopes = COALESCE(?, scopes), status = 'active', version = version + 1,
                       consecutive_failures = 0, first_failure_at = NULL, last_error = NULL, next_attempt_at = NULL,
                       next_refresh_at = ?, last_refreshed_at = now(), updated_at = now(),
                       lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END,
                       lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END
                 WHERE auth_profile_id = ? AND version = ?
                RETURNING\s""" + COLUMNS, CredentialRepository::map,
                keyId, access, refresh, tokenType, expiresAt, scopes, nextRefreshAt, leaseOwner, leaseOwner, id, expectedVersion);
    }

    /** Records a failure (CAS). @return new version or null when the row changed meanwhile */
    @Nullable
    public Long recordFailure(UUID id, long expectedVersion, CredentialStatus status, String error, @Nullable Instant nextAttemptAt) {
        return sql.one("""
                UPDATE credentials SET status = ?, last_error = ?, consecutive_failures = consecutive_failures + 1,
                       first_failure_at = COALESCE(first_failure_at, now()), next_attempt_at = ?,
                       next_refresh_at = COALESCE(?, next_refresh_at), version = version + 1, updated_at = now()
                 WHERE auth_profile_id = ? AND version = ?
                RETURNING version""", rs -> rs.getLong(1), status.value(), error, nextAttemptAt, nextAttemptAt, id, expectedVersion);
    }

    /**
     * Claims due credentials for background refresh: a lease, so replicas never work on the
     * same row and a crashed replica's claim expires. Returns the rows as claimed (read under the
     * row lock the claim takes), so the job needs no further read per credential.
     */
    public List<Credential> claimDue(String owner, int limit, int leaseSeconds) {
        return sql.list("""
                UPDATE credentials SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
                 WHERE auth_profile_id IN (
                   SELECT auth_profile_id FROM credentials
                    WHERE status IN ('active', 'refresh_uncertain') AND next_refresh_at <= now()
                      AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                      AND (lease_until IS NULL OR lease_until < now())
                    ORDER BY next_refresh_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING\s""" + COLUMNS, CredentialRepository::map, owner, (double) leaseSeconds, limit);
    }

    /** Takes the row's lease unless someone else holds a live one. @return the version, or null when leased elsewhere */
    @Nullable
    public Long acquireLease(UUID id, String owner, int seconds) {
        return sql.one("""
                UPDATE credentials SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
                 WHERE auth_profile_id = ? AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ?)
                RETURNING version""", rs -> rs.getLong(1), owner, (double) seconds, id, owner);
    }

    /** Keeps a credential out of background claims until {@code until} (a provider-wide hold, not a failure). */
    public void deferAttempt(UUID id, Instant until) {
        sql.update("UPDATE credentials SET next_attempt_at = GREATEST(COALESCE(next_attempt_at, ?), ?) WHERE auth_profile_id = ?",
                until, until, id);
    }

    /**
     * Gives up {@code owner}'s lease. A row that would be claimable again at once (nothing was
     * recorded on it: a paused user, a worker's refresh that stepped in) is pushed out by
     * {@code idleDelay}, so a background run over N rows always ends and no row is re-claimed in a loop.
     */
    public void release(UUID id, String owner, @Nullable Instant postponeTo, Duration idleDelay) {
        sql.update("""
                UPDATE credentials SET lease_owner = NULL, lease_until = NULL,
                       next_refresh_at = COALESCE(?, CASE
                           WHEN status IN ('active', 'refresh_uncertain') AND next_refresh_at <= now()
                                AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                           THEN now() + make_interval(secs => ?) ELSE next_refresh_at END)
                 WHERE auth_profile_id = ? AND lease_owner = ?""", postponeTo, (double) idleDelay.toSeconds(), id, owner);
    }

    /**
     * Re-encrypts both tokens of a row under the active key (compare-and-swap on the version, so
     * a concurrent refresh wins and the row is simply picked up again later).
     *
     * @return whether the row was updated
     */
    public boolean reencrypt(UUID id, long expectedVersion, String keyId, byte[] access, @Nullable byte[] refresh) {
        return sql.update("""
                UPDATE credentials SET key_id = ?, access_token_ct = ?, refresh_token_ct = ?, version = version + 1,
                       updated_at = now()
                 WHERE auth_profile_id = ? AND version = ?""", keyId, access, refresh, id, expectedVersion) == 1;
    }

    /**
     * Rows under another configured key than {@code activeKeyId} (rows under a key that is gone
     * cannot be moved and are left out), locked for this transaction (replica-safe).
     */
    public List<Credential> lockNotUnderKey(String activeKeyId, java.util.Collection<String> readableKeyIds, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM credentials WHERE key_id <> ? AND key_id = ANY(?)"
                + " ORDER BY auth_profile_id LIMIT ? FOR UPDATE SKIP LOCKED", CredentialRepository::map, activeKeyId,
                readableKeyIds.toArray(String[]::new), limit);
    }

    /** @return rows per key id, for the key-rotation gauge */
    public java.util.Map<String, Long> countByKey() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        sql.list("SELECT key_id, count(*) FROM credentials GROUP BY key_id", rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    /** @return seconds the most overdue credential is past its refresh time (0 when none is due) */
    public double queueLagSeconds() {
        Double lag = sql.one("""
                SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(next_refresh_at)), 0) FROM credentials
                 WHERE status IN ('active', 'refresh_uncertain') AND next_refresh_at <= now()""", rs -> rs.getDouble(1));
        return lag == null ? 0 : Math.max(0, lag);
    }

    /** A user's credentials in an org, optionally for one connector. */
    public List<Credential> findByUser(UUID orgId, UUID userId, @Nullable String connector) {
        return sql.list("SELECT " + COLUMNS + " FROM credentials WHERE org_id = ? AND user_id = ?"
                + " AND (CAST(? AS text) IS NULL OR connector_key = ?) ORDER BY connector_key, auth_profile_id",
                CredentialRepository::map, orgId, userId, connector, connector);
    }

    /**
     * Deletes credentials and queues their grants for revocation at the provider, in the caller's
     * transaction. {@code where} selects the rows (one profile, or all of a user's).
     *
     * @return the deleted rows (tokens still encrypted)
     */
    public List<Credential> deleteAndQueueRevocation(String where, Object param) {
        List<Credential> gone = sql.list("DELETE FROM credentials WHERE " + where + " RETURNING " + COLUMNS,
                CredentialRepository::map, param);
        for (Credential c : gone) {
            boolean refresh = c.refreshTokenCt() != null;
            sql.updateOne("queue provider revocation", """
                    INSERT INTO provider_revocations (auth_profile_id, org_id, provider_key, client_id, key_id, token_ct,
                           token_type_hint) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    c.authProfileId(), c.orgId(), c.providerKey(), c.clientId(), c.keyId(),
                    refresh ? c.refreshTokenCt() : c.accessTokenCt(), refresh ? "refresh_token" : "access_token");
        }
        return gone;
    }

    /** A deleted user's queued reports: one delivered after the deletion would bring their rows back. */
    public void deleteQueuedReports(UUID userId) {
        sql.update("DELETE FROM report_outbox WHERE user_id = ?", userId);
    }

    private static Credential map(ResultSet rs) throws SQLException {
        return new Credential(rs.getObject("auth_profile_id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getString("connector_key"), rs.getString("provider_key"),
                rs.getString("key_id"), rs.getBytes("access_token_ct"), rs.getBytes("refresh_token_ct"), rs.getString("token_type"),
                Sql.instant(rs, "expires_at"), Sql.strings(rs, "scopes"), CredentialStatus.of(rs.getString("status")), rs.getLong("version"),
                rs.getInt("consecutive_failures"), Sql.instant(rs, "first_failure_at"), Sql.instant(rs, "next_attempt_at"),
                Sql.instant(rs, "last_refreshed_at"), rs.getString("client_id"));
    }
}
