package io.linkguard.health.caller;

import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who is calling, read from the validated access token (SPEC §2).
 *
 * @param subject user id for users, client id for service accounts and internal services
 * @param orgId   the caller's org (null for internal tokens)
 * @param role    owner | admin | member for users, else null
 * @param scopes  granted scopes
 */
public record Caller(String subject, @Nullable UUID orgId, @Nullable String role, Set<String> scopes) {

    /** Scope of Linkguard's own services calling each other. */
    public static final String INTERNAL = "internal";

    /**
     * @param authentication the authenticated request's principal
     * @return the caller
     */
    public static Caller of(Authentication authentication) {
        Object org = authentication.getAttributes().get("org_id");
        Object role = authentication.getAttributes().get("role");
        Object scope = authentication.getAttributes().get("scope");
        Set<String> scopes = scope == null ? Set.of()
                : Arrays.stream(scope.toString().split(" ")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
        UUID orgId = null;
        if (org != null) {
            try {
                orgId = UUID.fromString(org.toString());
            } catch (IllegalArgumentException e) {
                orgId = null;
            }
        }
        return new Caller(authentication.getName(), orgId, role == null ? null : role.toString(), scopes);
    }

    /** @return whether the caller is an owner or admin of its org */
    public boolean isOrgAdmin() {
        return orgId != null && ("owner".equals(role) || "admin".equals(role));
    }

    /**
     * @param userId a user id
     * @return whether the caller is that user
     */
    public boolean is(UUID userId) {
        return role != null && subject.equals(userId.toString());
    }

    /**
     * @param scope required scope
     * @throws ProblemException 403 when the token lacks it
     */
    public void require(String scope) {
        if (!scopes.contains(scope)) {
            throw ProblemException.forbidden("This token lacks the scope '" + scope + "'.");
        }
    }

    /**
     * @return the caller's org
     * @throws ProblemException 403 for a token without an org
     */
    public UUID requireOrg() {
        if (orgId == null) {
            throw ProblemException.forbidden("This token does not belong to an organisation.");
        }
        return orgId;
    }
}
