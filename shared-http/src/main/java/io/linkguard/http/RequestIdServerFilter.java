package io.linkguard.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

/**
 * Gives every request a request id (the caller's, when well-formed), puts it in the
 * MDC for the whole request, including blocking executor threads, through Micronaut's
 * context propagation, and echoes it in the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "linkguard.request-id.enabled", notEquals = "false")
public class RequestIdServerFilter implements Ordered {

    private static final String ATTRIBUTE = RequestIdServerFilter.class.getName();
    private static final org.slf4j.Logger ACCESS_LOG = org.slf4j.LoggerFactory.getLogger("linkguard.access");

    /**
     * @param request a request this filter has seen
     * @return the request id assigned to it
     */
    public static java.util.Optional<String> requestId(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class);
    }

    @RequestFilter
    public void assign(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestId.acceptOrCreate(request.getHeaders().get(RequestId.HEADER));
        request.setAttribute(ATTRIBUTE, id);
        try {
            MDC.put(RequestId.MDC_KEY, id);
            context.add(new MdcPropagationContext());
        } finally {
            MDC.remove(RequestId.MDC_KEY);
        }
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getAttribute(ATTRIBUTE, String.class).orElse(null);
        if (id == null) {
            return;
        }
        response.getHeaders().set(RequestId.HEADER, id);
        // One access-log line per request, carrying the request id, so a user action can be followed
        // through every service's log. Health probes and metrics scrapes are left out.
        String path = request.getPath();
        if (ACCESS_LOG.isInfoEnabled() && !path.startsWith("/health") && !path.equals("/prometheus")) {
            try {
                MDC.put(RequestId.MDC_KEY, id);
                ACCESS_LOG.info("{} {} {}", request.getMethod(), LoggedPath.of(path), response.code());
            } finally {
                MDC.remove(RequestId.MDC_KEY);
            }
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
