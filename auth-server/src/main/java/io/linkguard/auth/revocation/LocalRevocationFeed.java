package io.linkguard.auth.revocation;

import io.linkguard.http.security.RevocationFeed;
import io.linkguard.http.security.RevocationPage;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** auth-server follows its own revocation list straight from its schema, with the same shared list and validator as the other services. */
@Singleton
@Requires(property = "linkguard.security.revocation.enabled", notEquals = "false")
class LocalRevocationFeed implements RevocationFeed {

    private final RevocationLog log;

    LocalRevocationFeed(RevocationLog log) {
        this.log = log;
    }

    @Override
    public RevocationPage since(long cursor) {
        return log.since(cursor);
    }
}
