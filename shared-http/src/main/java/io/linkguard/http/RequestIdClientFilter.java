package io.linkguard.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.context.ServerRequestContext;
import org.slf4j.MDC;

/**
 * Propagates the current request id on every outgoing call a service makes with
 * Micronaut's HTTP client, so one user action can be followed across services' logs.
 */
@ClientFilter(ClientFilter.MATCH_ALL_PATTERN)
@Requires(property = "linkguard.request-id.enabled", notEquals = "false")
public class RequestIdClientFilter {

    @RequestFilter
    public void propagate(MutableHttpRequest<?> request) {
        if (request.getHeaders().contains(RequestId.HEADER)) {
            return;
        }
        String id = MDC.get(RequestId.MDC_KEY);
        if (id == null) {
            id = ServerRequestContext.currentRequest()
                    .map(HttpRequest::getHeaders)
                    .map(h -> h.get(RequestId.HEADER))
                    .orElse(null);
        }
        if (id != null) {
            request.getHeaders().set(RequestId.HEADER, id);
        }
    }
}
