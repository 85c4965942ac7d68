package io.linkguard.gateway.policy;

import io.linkguard.gateway.internal.UserDirectory;
import io.linkguard.http.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tenant and ownership policy, in one place (the services check again). Two kinds of rules:
 * <ul>
 *   <li>scope rules for route families (a worker's token cannot manage profiles, …);</li>
 *   <li>user-owned resources ({@code /api/connectors/{userId}/…}, {@code /api/users/{userId}…}):
 *       the user themself with the route's scope, or an owner/admin of the same org. Another user
 *       of the same org gets 403; a user of another org gets the very 404 an unknown user gets.</li>
 * </ul>
 */
@Singleton
public class AccessPolicy {

    /** A user-owned route: the scopes that let the user themself in (any of them). */
    private record OwnedRoute(HttpMethod method, Pattern path, List<String> ownerScopes) {
    }

    private record ScopeRule(Pattern path, String scope, @Nullable HttpMethod method) {
    }

    private static final List<OwnedRoute> OWNED = List.of(
            new OwnedRoute(HttpMethod.GET, Pattern.compile("^/api/connectors/([^/]+)/status$"), List.of("connectors:read")),
            new OwnedRoute(HttpMethod.PUT, Pattern.compile("^/api/users/([^/]+)/automation-pause$"), List.of("automation:write")),
            new OwnedRoute(HttpMethod.GET, Pattern.compile("^/api/users/([^/]+)/automation-state$"),
                    List.of("connectors:read", "automation:write")),
            new OwnedRoute(HttpMethod.DELETE, Pattern.compile("^/api/users/([^/]+)$"), List.of()));

    private static final List<ScopeRule> SCOPES = List.of(
            new ScopeRule(Pattern.compile("^/api/health(/.*)?$"), "health:report", HttpMethod.POST),
            new ScopeRule(Pattern.compile("^/api/connections(/.*)?$"), "tokens:read", null),
            new ScopeRule(Pattern.compile("^/api/auth-profiles(/.*)?$"), "profiles:write", null));

    private final UserDirectory users;

    AccessPolicy(UserDirectory users) {
        this.users = users;
    }

    /**
     * @return the problem to answer with, or empty to let the request through
     */
    public Optional<Problem> check(HttpMethod method, String path, @Nullable Authentication auth) {
        if (auth == null) {
            return Optional.empty(); // anonymous routes; security already refused anonymous calls elsewhere
        }
        Set<String> scopes = scopes(auth);
        for (ScopeRule rule : SCOPES) {
            if ((rule.method() == null || rule.method() == method) && rule.path().matcher(path).matches()
                    && !scopes.contains(rule.scope())) {
                return Optional.of(forbidden("The token lacks the scope '" + rule.scope() + "'."));
            }
        }
        for (OwnedRoute route : OWNED) {
            Matcher m = route.path().matcher(path);
            if (route.method() == method && m.matches()) {
                return owned(m.group(1), route, auth, scopes);
            }
        }
        return Optional.empty();
    }

    private Optional<Problem> owned(String rawUserId, OwnedRoute route, Authentication auth, Set<String> scopes) {
        UUID userId;
        try {
            userId = UUID.fromString(rawUserId);
        } catch (IllegalArgumentException e) {
            return Optional.of(Problem.of("bad-request", "Bad Request", 400, "userId: must be a UUID"));
        }
        Object org = auth.getAttributes().get("org_id");
        Object role = auth.getAttributes().get("role");
        if (org == null || role == null) {
            return Optional.of(forbidden("This endpoint is for signed-in users."));
        }
        if (auth.getName().equals(userId.toString())) {
            if (!route.ownerScopes().isEmpty() && route.ownerScopes().stream().noneMatch(scopes::contains)) {
                return Optional.of(forbidden("The token lacks the scope '" + route.ownerScopes().get(0) + "'."));
            }
            return Optional.empty();
        }
        Optional<UUID> userOrg = users.orgOf(userId);
        if (userOrg.isEmpty() || !userOrg.get().toString().equals(org.toString())) {
            return Optional.of(notFound());
        }
        if (!"owner".equals(role) && !"admin".equals(role)) {
            return Optional.of(forbidden("Only the user themself or an admin of their organisation may do this."));
        }
        return Optional.empty();
    }

    /** The single 404 for unknown users and other orgs' users. */
    static Problem notFound() {
        return Problem.of("not-found", "Not Found", 404, "No such user.");
    }

    private static Problem forbidden(String detail) {
        return Problem.of("forbidden", "Forbidden", 403, detail);
    }

    private static Set<String> scopes(Authentication auth) {
        Object s = auth.getAttributes().get("scope");
        return s == null ? Set.of() : Arrays.stream(s.toString().trim().split("\\s+")).collect(Collectors.toSet());
    }
}
