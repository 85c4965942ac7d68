package io.linkguard.refresher.caller;

import io.linkguard.http.ProblemException;
import io.micronaut.security.authentication.Authentication;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The validated token's caller: org and scopes (SPEC §2). */
public record Caller(String subject, UUID orgId, Set<String> scopes) {

    /** @throws ProblemException 403 without the scope or an org */
    public static Caller require(Authentication auth, String scope) {
        Set<String> scopes = scopes(auth);
        if (!scopes.contains(scope)) {
            throw ProblemException.forbidden("The token lacks the scope '" + scope + "'.");
        }
        Object org = auth.getAttributes().get("org_id");
        if (org == null) {
            throw ProblemException.forbidden("This token does not belong to an organisation.");
        }
        return new Caller(auth.getName(), UUID.fromString(org.toString()), scopes);
    }

    /** @throws ProblemException 403 unless the token carries {@code internal} */
    public static void requireInternal(Authentication auth) {
        if (!scopes(auth).contains("internal")) {
            throw ProblemException.forbidden("The token lacks the scope 'internal'.");
        }
    }

    private static Set<String> scopes(Authentication auth) {
        Object s = auth.getAttributes().get("scope");
        return s == null ? Set.of() : Arrays.stream(s.toString().trim().split("\\s+")).collect(Collectors.toSet());
    }
}
