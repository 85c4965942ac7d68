package io.linkguard.auth.token;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Scope strings (RFC 6749 §3.3): space-delimited, order-insensitive. */
public final class Scopes {

    private Scopes() {
    }

    /** @return the scopes of a scope string */
    public static Set<String> parse(@Nullable String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * @param requested what the client asked for (null: everything allowed)
     * @param allowed   what it may have
     * @return the granted scope string
     * @throws OAuthException invalid_scope when something not allowed is asked for
     */
    public static String narrow(@Nullable String requested, List<String> allowed) {
        Set<String> asked = parse(requested);
        if (asked.isEmpty()) {
            return String.join(" ", allowed);
        }
        if (!allowed.containsAll(asked)) {
            throw OAuthError.INVALID_SCOPE.with("The requested scope is not allowed for this client.");
        }
        return String.join(" ", asked);
    }
}
