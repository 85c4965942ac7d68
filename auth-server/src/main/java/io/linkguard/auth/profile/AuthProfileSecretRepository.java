package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuthProfileSecretRepository extends GenericRepository<AuthProfileSecret, UUID> {

    AuthProfileSecret save(AuthProfileSecret secret);

    @Nullable
    AuthProfileSecret findById(UUID authProfileId);
}
