package io.linkguard.http.path;

import io.linkguard.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Refuses, with 400 problem+json, a request whose path is not canonical ({@link CanonicalPath}):
 * e.g. {@code /api/connectors/{id}/status/} would otherwise miss the gateway's ownership rule (written
 * for {@code …/status}) and still reach the service's handler. Every service has it, so a service
 * reached directly refuses the same paths. The raw path is checked as received, before anything
 * decodes it.
 *
 * <p>It runs before security, the gateway's policy and proxy and any controller, right after the
 * request id and security headers filters (so the 400 carries both). Not {@code @PreMatching}: a
 * pre-matching answer skips every other filter's response side; matching a route runs nothing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "linkguard.http.canonical-paths.enabled", notEquals = "false")
public class CanonicalPathFilter implements Ordered {

    private final CanonicalPathConfiguration config;

    /**
     * @param config allowed trailing-slash paths
     */
    public CanonicalPathFilter(CanonicalPathConfiguration config) {
        this.config = config;
    }

    /**
     * @param request any request
     * @return a 400 problem for a non-canonical path, else null to go on
     */
    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        // getPath() is the request target's path exactly as received (Netty's request line, up to '?');
        // getUri() is a java.net.URI parse of it, which reads "//api/x" as host "api" and path "/x".
        // Both are checked, so a path is refused whichever of the two a later reader uses.
        String violation = CanonicalPath.violation(request.getPath(), config.trailingSlashAllowed());
        if (violation == null) {
            try {
                violation = CanonicalPath.violation(request.getUri().getRawPath(), config.trailingSlashAllowed());
            } catch (IllegalArgumentException e) {
                violation = "is not a valid URI";
            }
        }
        if (violation == null) {
            return null;
        }
        // the path is not echoed back: it is attacker-chosen text
        Problem p = Problem.of("non-canonical-path", "Bad Request", 400,
                "The request path " + violation + "; send it in canonical form.");
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.of(Problem.MEDIA_TYPE)).body(p);
    }

    @Override
    public int getOrder() {
        // after RequestIdServerFilter (HIGHEST_PRECEDENCE) and SecurityHeadersFilter, before everything else
        return HIGHEST_PRECEDENCE + 20;
    }
}
