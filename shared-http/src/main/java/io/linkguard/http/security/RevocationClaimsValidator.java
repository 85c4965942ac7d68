package io.linkguard.http.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Refuses a JWT that the {@link RevocationList} revokes (its {@code jti}, its {@code sid}, or its
 * {@code sub} with an {@code iat} before the subject's not-before), so the bearer gets 401 from
 * every service, not only from introspection.
 *
 * <p>Fail closed: while the list is stale (no successful refresh for {@code max-staleness}) every
 * user and service-account token is refused, because a revocation could have been missed. Internal
 * tokens ({@code scope} contains {@code internal}) are still accepted then (if not listed), so the
 * services can keep talking to each other, and to auth-server to catch up.
 *
 * <p>Claims validators run on every request, also when {@link VerifiedTokenCache} skipped parsing and the
 * signature check, so a remembered token never outlives a revocation.
 *
 * @param <T> the request type
 */
@Singleton
@Requires(beans = RevocationList.class)
public class RevocationClaimsValidator<T> implements GenericJwtClaimsValidator<T> {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationClaimsValidator.class);

    private final RevocationList list;

    public RevocationClaimsValidator(RevocationList list) {
        this.list = list;
    }

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
        if (!list.fresh() && !internal(claims.get("scope"))) {
            LOG.debug("Token refused: the revocation list is stale");
            return false;
        }
        boolean revoked = list.revoked(string(claims.get(Claims.TOKEN_ID)), string(claims.get("sid")),
                string(claims.get(Claims.SUBJECT)), instant(claims.get(Claims.ISSUED_AT)));
        if (revoked) {
            LOG.debug("Token refused: revoked");
        }
        return !revoked;
    }

    private static boolean internal(@Nullable Object scope) {
        if (scope instanceof Collection<?> c) {
            return c.stream().anyMatch("internal"::equals);
        }
        return scope != null && List.of(scope.toString().trim().split("\\s+")).contains("internal");
    }

    @Nullable
    private static String string(@Nullable Object o) {
        return o == null ? null : o.toString();
    }

    @Nullable
    private static Instant instant(@Nullable Object o) {
        if (o instanceof Date d) {
            return d.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        return null;
    }
}
