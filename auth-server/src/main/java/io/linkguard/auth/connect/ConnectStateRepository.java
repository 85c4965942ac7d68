package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConnectStateRepository extends GenericRepository<ConnectState, String> {

    ConnectState save(ConnectState state);

    /** One-time: a replayed callback finds nothing. */
    @Query("""
        UPDATE connect_states SET used_at = now()
         WHERE state_hash = :stateHash AND used_at IS NULL AND expires_at > now() RETURNING *""")
    @Nullable
    ConnectState consume(String stateHash);

    @Query("DELETE FROM connect_states WHERE expires_at < now() - interval '1 hour'")
    int deleteExpired();
}
