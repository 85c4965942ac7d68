package io.linkguard.auth.profile;

import io.linkguard.http.ProblemException;
import io.micronaut.security.authentication.Authentication;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The signed-in user as the validated JWT names them: {@code sub} (user id), {@code org_id},
 * {@code role} and {@code scope}.
 */
public record Caller(UUID userId, UUID orgId, String role, Set<String> scopes) {

    /** owner and admin see and manage every profile of their org. */
    public boolean isAdmin() {
        return "owner".equals(role) || "admin".equals(role);
    }

    /**
     * @throws ProblemException 403 when the token is not a user's token with the scope
     */
    public static Caller require(Authentication auth, String scope) {
        Set<String> scopes = scopes(auth.getAttributes().get("scope"));
        Object org = auth.getAttributes().get("org_id");
        Object role = auth.getAttributes().get("role");
        UUID userId = uuid(auth.getName());
        UUID orgId = org == null ? null : uuid(org.toString());
        if (userId == null || orgId == null || role == null) {
            throw ProblemException.forbidden("This endpoint is for signed-in users.");
        }
        if (!scopes.contains(scope)) {
            throw ProblemException.forbidden("The token lacks the scope '" + scope + "'.");
        }
        return new Caller(userId, orgId, role.toString(), scopes);
    }

    /** @throws ProblemException 403 unless the token carries the {@code internal} scope */
    public static void requireInternal(Authentication auth) {
        if (!scopes(auth.getAttributes().get("scope")).contains("internal")) {
            throw ProblemException.forbidden("The token lacks the scope 'internal'.");
        }
    }

    static Set<String> scopes(Object claim) {
        if (claim instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        if (claim == null) {
            return Set.of();
        }
        return Arrays.stream(claim.toString().trim().split("\\s+")).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
