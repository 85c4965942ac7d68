package io.linkguard.gateway.policy;

import io.linkguard.http.Problem;
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

/**
 * Applies {@link AccessPolicy} after the token has been validated and before the proxy. Runs on
 * the blocking executor because it may ask auth-server who a user belongs to.
 */
@ServerFilter("/api/**")
class PolicyFilter implements Ordered {

    private final AccessPolicy policy;

    PolicyFilter(AccessPolicy policy) {
        this.policy = policy;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        Authentication auth = request.getUserPrincipal(Authentication.class).orElse(null);
        return policy.check(request.getMethod(), request.getPath(), auth)
                .map(p -> (HttpResponse<?>) HttpResponse.status(HttpStatus.valueOf(p.status()))
                        .contentType(MediaType.of(Problem.MEDIA_TYPE)).body(p.at(request.getPath())))
                .orElse(null);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 10;
    }
}
