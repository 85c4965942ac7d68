package io.linkguard.http.security;

import java.util.Optional;
import java.util.UUID;

/**
 * Which org a user belongs to, as far as one service can tell: auth-server reads its own table,
 * the others ask auth-server. {@link AccessPolicyFilter} uses it for routes that name a user; a
 * service without one refuses such routes with 404.
 */
public interface UserOrgLookup {

    /**
     * @param userId a user id
     * @return the user's org, or empty when there is no such user
     */
    Optional<UUID> orgOf(UUID userId);
}
