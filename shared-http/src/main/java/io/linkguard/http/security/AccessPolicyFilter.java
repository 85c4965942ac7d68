package io.linkguard.http.security;

import io.linkguard.http.config.PolicySettings;
import io.linkguard.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Named;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
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
    private final Scheduler blocking;

    /**
     * @param users          where to look up the org of a user a path names
     * @param settings       whether this server answers {@code /internal/**} at all (the public
     *                       gateway does not: there they are 404 whatever the token)
     */
    AccessPolicyFilter(Optional<UserOrgLookup> users,
                       PolicySettings settings,
                       @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.users = users;
        this.internalRoutes = settings.internalRoutes();
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    /**
     * Decides on the event loop: the table is a few regex matches on the path and the token's
     * claims. Only a route naming another user needs to know that user's org, which may ask
     * auth-server (or the database): that lookup alone moves to the blocking executor.
     */
    @RequestFilter
    Publisher<MutableHttpResponse<?>> check(HttpRequest<?> request,
                                            FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
        String path = request.getPath();
        if (!internalRoutes && (path.startsWith("/internal/") || path.equals("/internal"))) {
            return Mono.just(problem(request, NO_ROUTE));
        }
        Caller caller = request.getUserPrincipal(Authentication.class).map(Caller::of).orElse(null);
        AccessPolicy.Decision decision = AccessPolicy.decide(request.getMethod(), path, caller);
        if (decision instanceof AccessPolicy.Deny d) {
            return Mono.just(problem(request, d.problem()));
        }
        if (decision instanceof AccessPolicy.UserInOrg u) {
            return Mono.fromCallable(() -> Optional.ofNullable(sameOrg(u)))
                    .subscribeOn(blocking)
                    .flatMap(p -> p.isPresent() ? Mono.just(problem(request, p.get())) : Mono.from(next.proceed()));
        }
        return next.proceed();
    }

    @Nullable
    private Problem sameOrg(AccessPolicy.UserInOrg u) {
        Optional<UUID> org = users.flatMap(lookup -> lookup.orgOf(u.userId()));
        if (org.isEmpty() || !org.get().equals(u.callerOrg())) {
            return Problem.of("not-found", "Not Found", 404, "No such user.");
        }
        return u.sameOrgDenial();
    }

    private static MutableHttpResponse<?> problem(HttpRequest<?> request, Problem problem) {
        return HttpResponse.status(HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem.at(request.getPath()));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 10;
    }
}
