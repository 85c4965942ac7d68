package io.linkguard.http.security;

import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as the validated access token names them: the one reading of the token's
 * claims that every service uses.
 *
 * <p>A token does exactly what its scopes say. The role never widens a scope: org-wide powers
 * need the {@code admin} scope <em>and</em> an owner/admin role ({@link #isOrgAdmin()}).
 *
 * @param subject  {@code sub}: the user id for users, the client id for service accounts and services
 * @param orgId    {@code org_id}: the caller's org, null for Linkguard's own services
 * @param role     {@code role}: owner | admin | member for users, null for clients
 * @param clientId {@code client_id}: the OAuth client the token was issued to
 * @param scopes   {@code scope}: the granted scopes
 */
public record Caller(String subject, @Nullable UUID orgId, @Nullable String role, @Nullable String clientId,
                     Set<String> scopes) {

    /**
     * @param auth the authenticated request's principal
     * @return the caller
     */
    public static Caller of(Authentication auth) {
        Object org = auth.getAttributes().get("org_id");
        Object role = auth.getAttributes().get("role");
        Object client = auth.getAttributes().get("client_id");
        return new Caller(auth.getName(), org == null ? null : uuidOrNull(org.toString()),
                role == null ? null : role.toString(), client == null ? null : client.toString(),
                Scopes.parse(auth.getAttributes().get("scope")));
    }

    /** @return whether the token carries the scope */
    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** @return whether the token carries at least one of the scopes */
    public boolean hasAny(Collection<String> anyOf) {
        return anyOf.stream().anyMatch(scopes::contains);
    }

    /** @return whether this is a signed-in user's token (it names a role and an org) */
    public boolean isUser() {
        return role != null && orgId != null;
    }

    /** @return the user id of a user's token, else null */
    @Nullable
    public UUID userId() {
        return isUser() ? uuidOrNull(subject) : null;
    }

    /** @return whether the caller is that user (false for null: a row without a user) */
    public boolean is(@Nullable UUID userId) {
        return userId != null && isUser() && subject.equals(userId.toString());
    }

    /** @return whether this is one of Linkguard's own services ({@code internal} scope, no org) */
    public boolean isInternal() {
        return orgId == null && scopes.contains(Scopes.INTERNAL);
    }

    /**
     * Org-wide powers: an owner or admin of their org whose token also carries the {@code admin}
     * scope. A member's token never has them, and neither has an admin's token granted to a
     * third-party app with narrower scopes.
     *
     * @return whether the caller may act for any user of its org
     */
    public boolean isOrgAdmin() {
        return isUser() && ("owner".equals(role) || "admin".equals(role)) && scopes.contains(Scopes.ADMIN);
    }

    /**
     * @param scope required scope
     * @throws ProblemException 403 when the token lacks it
     */
    public void require(String scope) {
        if (!scopes.contains(scope)) {
            throw ProblemException.forbidden("The token lacks the scope '" + scope + "'.");
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

    /**
     * @return the signed-in user's id
     * @throws ProblemException 403 for any other token
     */
    public UUID requireUser() {
        UUID id = userId();
        if (id == null) {
            throw ProblemException.forbidden("This endpoint is for signed-in users.");
        }
        return id;
    }

    @Nullable
    private static UUID uuidOrNull(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
