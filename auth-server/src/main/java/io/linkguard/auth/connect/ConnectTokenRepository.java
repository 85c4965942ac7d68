package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConnectTokenRepository extends GenericRepository<ConnectToken, String> {

    ConnectToken save(ConnectToken token);

    /** One-time use in one statement: of N concurrent uses exactly one gets the row. */
    @Query("""
        UPDATE connect_tokens SET used_at = now()
         WHERE token_hash = :tokenHash AND used_at IS NULL AND expires_at > now() RETURNING *""")
    @Nullable
    ConnectToken consume(String tokenHash);

    /** Reads a usable token without using it up: showing the confirmation page must not burn the link. */
    @Query("SELECT * FROM connect_tokens WHERE token_hash = :tokenHash AND used_at IS NULL AND expires_at > now()")
    @Nullable
    ConnectToken findUsable(String tokenHash);

    @Query("DELETE FROM connect_tokens WHERE expires_at < now() - interval '1 hour'")
    int deleteExpired();
}
