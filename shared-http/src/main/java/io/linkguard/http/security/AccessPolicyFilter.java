package io.linkguard.http.security;

import io.linkguard.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

import java.util.Optional;
import java.util.UUID;

/**
 * Enforces {@link AccessPolicy} on every request under {@code /api/} and {@code /internal/},
 * after the token has been validated and before any controller (or, in the gateway, before the
 * proxy). The same filter runs in the gateway and in every service, so a service reached
 * directly refuses exactly what the gateway refuses.
 *
 * <p>Switch off only in a test that must reach a controller without it:
 * {@code linkguard.security.policy.enabled=false}.
 */
@ServerFilter({"/api/**", "/internal/**", "/api", "/internal"})
@Requires(classes = Authentication.class)
@Requires(property = "linkguard.security.policy.enabled", notEquals = "false")
public class AccessPolicyFilter implements Ordered {

    private static final Problem NO_ROUTE = Problem.of("not-found", "Not Found", 404, "No such route.");

    private final Optional<UserOrgLookup> users;
    private final boolean internalRoutes;

    /**
     * @param users          where to look up the org of a user a path names
     * @param internalRoutes whether this server answers {@code /internal/**} at all (the public
     *                       gateway does not: there they are 404 whatever the token)
     */
    AccessPolicyFilter(Optional<UserOrgLookup> users,
                       @Value("${linkguard.security.policy.internal-routes:true}") boolean internalRoutes) {
        this.users = users;
        this.internalRoutes = internalRoutes;
    }

    /**
     * Runs on the blocking executor: a route naming another user may ask auth-server who that
     * user belongs to.
     */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String path = request.getPath();
        if (!internalRoutes && (path.startsWith("/internal/") || path.equals("/internal"))) {
            return problem(request, NO_ROUTE);
        }
        Caller caller = request.getUserPrincipal(Authentication.class).map(Caller::of).orElse(null);
        AccessPolicy.Decision decision = AccessPolicy.decide(request.getMethod(), request.getPath(), caller);
        Problem problem = null;
        if (decision instanceof AccessPolicy.Deny d) {
            problem = d.problem();
        } else if (decision instanceof AccessPolicy.UserInOrg u) {
            problem = sameOrg(u);
        }
        return problem == null ? null : problem(request, problem);
    }

    private static HttpResponse<?> problem(HttpRequest<?> request, Problem problem) {
        return HttpResponse.status(HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem.at(request.getPath()));
    }

    @Nullable
    private Problem sameOrg(AccessPolicy.UserInOrg u) {
        Optional<UUID> org = users.flatMap(lookup -> lookup.orgOf(u.userId()));
        if (org.isEmpty() || !org.get().equals(u.callerOrg())) {
            return Problem.of("not-found", "Not Found", 404, "No such user.");
        }
        return u.sameOrgDenial();
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 10;
    }
}
