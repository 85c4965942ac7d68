package io.linkguard.gateway.route;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The public route table (docs/API.md, docs/ARCHITECTURE.md): which service answers a path.
 * {@code /internal/**} and anything unlisted is not routed (the gateway answers 404).
 */
public final class Routes {

    private record Rule(@Nullable HttpMethod method, Pattern path, Backend backend) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(null, Pattern.compile("^/(oauth|\\.well-known)(/.*)?$"), Backend.AUTH),
            new Rule(null, Pattern.compile("^/connect(/.*)?$"), Backend.AUTH),
            new Rule(null, Pattern.compile("^/api/(signup|me|me/password|providers)$"), Backend.AUTH),
            // the admin's view of an org's connections lives with the health rows, before the orgs rule
            new Rule(null, Pattern.compile("^/api/orgs/[^/]+/connections(/summary)?$"), Backend.HEALTH),
            // so do the org's webhook endpoints (the transitions write their deliveries)
            new Rule(null, Pattern.compile("^/api/orgs/[^/]+/webhooks(/.*)?$"), Backend.HEALTH),
            new Rule(null, Pattern.compile("^/api/(orgs|auth-profiles|providers)(/.*)?$"), Backend.AUTH),
            new Rule(HttpMethod.DELETE, Pattern.compile("^/api/users/[^/]+$"), Backend.AUTH),
            new Rule(null, Pattern.compile("^/api/connections(/.*)?$"), Backend.REFRESHER),
            new Rule(null, Pattern.compile("^/api/(connectors|health)(/.*)?$"), Backend.HEALTH),
            new Rule(null, Pattern.compile("^/api/users/[^/]+/automation-(pause|state)$"), Backend.HEALTH));

    private Routes() {
    }

    /**
     * @param method request method
     * @param path   request path (no query)
     * @return the service for it, or null when the gateway does not route it
     */
    @Nullable
    public static Backend route(HttpMethod method, String path) {
        if (path.startsWith("/internal/") || path.equals("/internal") || path.contains("/../") || path.contains("//")) {
            return null;
        }
        for (Rule r : RULES) {
            if ((r.method() == null || r.method() == method) && r.path().matcher(path).matches()) {
                return r.backend();
            }
        }
        return null;
    }
}
