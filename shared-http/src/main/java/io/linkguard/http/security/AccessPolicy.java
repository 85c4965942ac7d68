package io.linkguard.http.security;

import io.linkguard.http.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one authority table of Linkguard's API: for every route under {@code /api/} and
 * {@code /internal/}, which scope (or set of scopes) it needs and whose data it touches. The
 * gateway and every service enforce this same table ({@link AccessPolicyFilter}), so a rule
 * cannot drift between them; services then check the rows they read belong to the caller's org.
 *
 * <p>The rules:
 * <ul>
 *   <li>A token does exactly what its scopes say; the role never widens it. Org-wide powers
 *       (another user's data, deleting a user, anything under {@code /api/orgs/{orgId}}) need the
 *       {@code admin} scope <em>and</em> an owner/admin role.</li>
 *   <li>A user's own data needs the route's scope. Deleting one's own account needs
 *       {@code account:write}, which only first-party clients are granted.</li>
 *   <li>Another org's user or org answers exactly as an unknown one (404); another user of the
 *       same org without the power answers 403.</li>
 *   <li>A route that is not in the table is denied (404), whatever the token.</li>
 * </ul>
 */
public final class AccessPolicy {

    /** What a route needs. */
    public enum Kind {
        /** Anyone, with or without a token. */
        PUBLIC,
        /** A token of an org (user or service account) with one of the scopes. */
        SCOPE,
        /** A signed-in user's token with one of the scopes. */
        USER_SCOPE,
        /**
         * The data of the user named by the path's {@code {userId}}: that user with one of the
         * scopes, an org admin of the same org, or a worker of the same org with one of the
         * worker scopes.
         */
        OWN_USER,
        /** The org named by the path's {@code {orgId}}: its owners/admins with the admin scope. */
        ORG_ADMIN,
        /** Linkguard's own services. */
        INTERNAL
    }

    /**
     * One route.
     *
     * @param method       the method, null for any
     * @param template     the path: literal segments, {@code {name}} for one segment, a final
     *                     {@code /**} for any rest (including none)
     * @param kind         what it needs
     * @param scopes       the scopes (any of them) for {@link Kind#SCOPE}, {@link Kind#USER_SCOPE}
     *                     and a user's own data under {@link Kind#OWN_USER}
     * @param workerScopes for {@link Kind#OWN_USER}: scopes that let a worker of the same org in
     */
    public record Rule(@Nullable HttpMethod method, String template, Kind kind, Set<String> scopes,
                       Set<String> workerScopes) {

        public Rule {
            scopes = Set.copyOf(scopes);
            workerScopes = Set.copyOf(workerScopes);
        }

        Pattern pattern() {
            return PATTERNS.computeIfAbsent(template, AccessPolicy::compile);
        }
    }

    private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Rule rule(@Nullable HttpMethod m, String template, Kind kind, String... scopes) {
        return new Rule(m, template, kind, Set.of(scopes), Set.of());
    }

    /** The table, in the order it is matched (first match wins). */
    public static final List<Rule> RULES = List.of(
            // accounts and orgs (auth-server)
            rule(HttpMethod.POST, "/api/signup", Kind.PUBLIC),
            rule(HttpMethod.GET, "/api/providers", Kind.PUBLIC),
            rule(HttpMethod.GET, "/api/me", Kind.SCOPE, Scopes.PUBLIC_SCOPES.toArray(String[]::new)),
            rule(HttpMethod.POST, "/api/me/password", Kind.USER_SCOPE, Scopes.ACCOUNT_WRITE),
            // includes the admin's view GET /api/orgs/{orgId}/connections[/summary] (connector-health)
            rule(null, "/api/orgs/{orgId}/**", Kind.ORG_ADMIN),
            rule(HttpMethod.DELETE, "/api/users/{userId}", Kind.OWN_USER, Scopes.ACCOUNT_WRITE),
            // auth profiles and the connect flow (auth-server)
            rule(null, "/api/auth-profiles/**", Kind.USER_SCOPE, Scopes.PROFILES_WRITE),
            // fresh provider tokens (token-refresher)
            rule(HttpMethod.POST, "/api/connections/{authProfileId}/access-token", Kind.SCOPE, Scopes.TOKENS_READ),
            rule(HttpMethod.GET, "/api/connections", Kind.SCOPE, Scopes.TOKENS_READ),
            // health and automation (connector-health)
            rule(HttpMethod.GET, "/api/connectors/{userId}/status", Kind.OWN_USER, Scopes.CONNECTORS_READ),
            rule(HttpMethod.GET, "/api/connectors/{userId}/history", Kind.OWN_USER, Scopes.CONNECTORS_READ),
            rule(HttpMethod.POST, "/api/health/reports", Kind.SCOPE, Scopes.HEALTH_REPORT),
            rule(HttpMethod.PUT, "/api/users/{userId}/automation-pause", Kind.OWN_USER, Scopes.AUTOMATION_WRITE),
            new Rule(HttpMethod.GET, "/api/users/{userId}/automation-state", Kind.OWN_USER,
                    Set.of(Scopes.CONNECTORS_READ, Scopes.AUTOMATION_WRITE), Set.of(Scopes.TOKENS_READ, Scopes.HEALTH_REPORT)),
            // service to service
            rule(null, "/internal/**", Kind.INTERNAL, Scopes.INTERNAL));

    /** What to do with a request. */
    public sealed interface Decision {
    }

    /** Let it through. */
    public record Allow() implements Decision {
    }

    /** Refuse it with this problem. */
    public record Deny(Problem problem) implements Decision {
    }

    /**
     * Depends on the org of the user the path names: another org's (or an unknown) user is 404;
     * a user of the caller's org is allowed, or refused with {@code sameOrgDenial} when not null.
     */
    public record UserInOrg(UUID userId, UUID callerOrg, @Nullable Problem sameOrgDenial) implements Decision {
    }

    private AccessPolicy() {
    }

    /**
     * @param path the request path, without query
     * @return whether the table governs this path ({@code /api/} and {@code /internal/})
     */
    public static boolean governs(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/internal/") || path.equals("/internal");
    }

    /**
     * @param method the request method
     * @param path   the request path, without query
     * @return the matching rule, if any
     */
    public static Optional<Rule> match(HttpMethod method, String path) {
        for (Rule r : RULES) {
            if ((r.method() == null || r.method() == method) && r.pattern().matcher(path).matches()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * @param method the request method
     * @param path   the request path, without query (a path the table does not govern is allowed)
     * @param caller the validated token's caller, null without a token
     * @return the decision
     */
    public static Decision decide(HttpMethod method, String path, @Nullable Caller caller) {
        if (!governs(path)) {
            return new Allow();
        }
        Rule rule = null;
        Matcher m = null;
        for (Rule r : RULES) {
            if (r.method() == null || r.method() == method) {
                Matcher candidate = r.pattern().matcher(path);
                if (candidate.matches()) {
                    rule = r;
                    m = candidate;
                    break;
                }
            }
        }
        if (rule == null) {
            return new Deny(Problem.of("not-found", "Not Found", 404, "No such route."));
        }
        if (rule.kind() == Kind.PUBLIC) {
            return new Allow();
        }
        if (caller == null) {
            return new Deny(Problem.of("unauthorized", "Unauthorized", 401, "A valid access token is required."));
        }
        return switch (rule.kind()) {
            case PUBLIC -> new Allow();
            case INTERNAL -> caller.isInternal() ? new Allow() : deny(lacks(Scopes.INTERNAL));
            case SCOPE -> caller.orgId() == null ? deny("This token does not belong to an organisation.")
                    : caller.hasAny(rule.scopes()) ? new Allow() : deny(lacks(rule.scopes()));
            case USER_SCOPE -> !caller.isUser() ? deny("This endpoint is for signed-in users.")
                    : caller.hasAny(rule.scopes()) ? new Allow() : deny(lacks(rule.scopes()));
            case ORG_ADMIN -> orgAdmin(m.group("orgId"), caller);
            case OWN_USER -> ownUser(m.group("userId"), rule, caller);
        };
    }

    private static Decision orgAdmin(String rawOrgId, Caller caller) {
        UUID orgId = uuid(rawOrgId);
        if (orgId == null) {
            return new Deny(badRequest("orgId: must be a UUID"));
        }
        if (!orgId.equals(caller.orgId())) {
            return new Deny(Problem.of("not-found", "Not Found", 404, "No such organisation."));
        }
        return caller.isOrgAdmin() ? new Allow() : deny(adminDetail(caller));
    }

    private static Decision ownUser(String rawUserId, Rule rule, Caller caller) {
        UUID userId = uuid(rawUserId);
        if (userId == null) {
            return new Deny(badRequest("userId: must be a UUID"));
        }
        UUID org = caller.orgId();
        if (org == null) {
            return deny("This token does not belong to an organisation.");
        }
        if (caller.is(userId)) {
            return caller.hasAny(rule.scopes()) ? new Allow() : deny(lacks(rule.scopes()));
        }
        if (caller.isOrgAdmin()) {
            return new UserInOrg(userId, org, null);
        }
        if (!caller.isUser() && caller.hasAny(rule.workerScopes())) {
            return new UserInOrg(userId, org, null);
        }
        String detail = caller.isUser() ? adminDetail(caller) : lacks(rule.workerScopes().isEmpty()
                ? Set.of(Scopes.ADMIN) : rule.workerScopes());
        return new UserInOrg(userId, org, forbidden(caller.isUser()
                ? "Only the user themself or an admin of their organisation may do this. " + detail : detail));
    }

    private static String adminDetail(Caller caller) {
        boolean adminRole = "owner".equals(caller.role()) || "admin".equals(caller.role());
        if (!adminRole) {
            return "This needs an owner or admin of the organisation.";
        }
        return "This needs a token with the scope 'admin'.";
    }

    private static String lacks(String scope) {
        return "The token lacks the scope '" + scope + "'.";
    }

    private static String lacks(Set<String> scopes) {
        if (scopes.size() == 1) {
            return lacks(scopes.iterator().next());
        }
        return "The token lacks one of the scopes " + String.join(", ", scopes.stream().sorted()
                .map(s -> "'" + s + "'").toList()) + ".";
    }

    private static Deny deny(String detail) {
        return new Deny(forbidden(detail));
    }

    private static Problem forbidden(String detail) {
        return Problem.of("forbidden", "Forbidden", 403, detail);
    }

    private static Problem badRequest(String detail) {
        return Problem.of("bad-request", "Bad Request", 400, detail);
    }

    @Nullable
    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Turns a template into an anchored regex; {@code {name}} becomes a named one-segment group. */
    static Pattern compile(String template) {
        String t = template;
        String tail = "";
        if (t.endsWith("/**")) {
            t = t.substring(0, t.length() - 3);
            tail = "(?:/[^/]+)*";
        }
        StringBuilder re = new StringBuilder("^");
        Matcher vars = Pattern.compile("\\{([A-Za-z]+)}").matcher(t);
        int last = 0;
        while (vars.find()) {
            re.append(Pattern.quote(t.substring(last, vars.start())));
            re.append("(?<").append(vars.group(1)).append(">[^/]+)");
            last = vars.end();
        }
        re.append(Pattern.quote(t.substring(last))).append(tail).append('$');
        return Pattern.compile(re.toString());
    }
}
