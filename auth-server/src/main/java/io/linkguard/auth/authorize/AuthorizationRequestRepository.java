package io.linkguard.auth.authorize;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code authorization_requests}: a signed-in user's request waiting for their consent, found by
 * the SHA-256 of its one-time ticket.
 */
@Singleton
class AuthorizationRequestRepository {

    /** A consumed request: who asked, for which client, and the validated parameters to answer with. */
    record PendingConsent(String clientId, UUID userId, String redirectUri, String scope, @Nullable String state,
                          String codeChallenge) {
    }

    private final Sql sql;

    AuthorizationRequestRepository(Sql sql) {
        this.sql = sql;
    }

    void save(String ticketHash, AuthorizationRequest ar, UUID userId, Instant expiresAt) {
        sql.updateOne("insert authorization request", """
                INSERT INTO authorization_requests (ticket_hash, client_id, user_id, redirect_uri, scope, state, code_challenge, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", ticketHash, ar.client().clientId(), userId, ar.redirectUri(),
                ar.scope(), ar.state(), ar.codeChallenge(), expiresAt);
    }

    /**
     * Uses a ticket up. One statement decides: of two submissions of the same consent form only one
     * gets the request back.
     *
     * @return the request, or null when the ticket is unknown, used or expired
     */
    @Nullable
    PendingConsent consume(String ticketHash) {
        return sql.one("""
                UPDATE authorization_requests SET used = true WHERE ticket_hash = ? AND used = false AND expires_at > now()
                RETURNING client_id, user_id, redirect_uri, scope, state, code_challenge""",
                rs -> new PendingConsent(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), ticketHash);
    }
}
