package io.linkguard.http.headers;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Puts the browser security headers on every response of the service — pages, static files, JSON,
 * errors, redirects, proxied answers — so that no path (a static file's second URL, an error page,
 * a route added later) can go out without them:
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}, always: a browser never runs a JSON or text body as
 *       script or style because it looks like one;</li>
 *   <li>{@code Content-Security-Policy} with {@code frame-ancestors 'none'} and {@code X-Frame-Options:
 *       DENY} (for browsers without CSP 2), and {@code Referrer-Policy}, unless the response set its
 *       own: a page with its own needs (the sign-in form's {@code same-origin}, inline styles) keeps
 *       them, and a proxied answer keeps the headers of the service that wrote it.</li>
 * </ul>
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "linkguard.http.security-headers.enabled", notEquals = "false")
public class SecurityHeadersFilter implements Ordered {

    private final SecurityHeadersConfiguration config;

    /**
     * @param config the policy values
     */
    public SecurityHeadersFilter(SecurityHeadersConfiguration config) {
        this.config = config;
    }

    /**
     * @param response any response of this server
     */
    @ResponseFilter
    public void addHeaders(MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        setIfAbsent(headers, "Content-Security-Policy", config.contentSecurityPolicy());
        setIfAbsent(headers, "X-Frame-Options", "DENY");
        setIfAbsent(headers, "Referrer-Policy", config.referrerPolicy());
    }

    private static void setIfAbsent(MutableHttpHeaders headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }

    @Override
    public int getOrder() {
        // outermost but for the request id: its response side runs last, after every other filter
        // (the gateway's proxy included) has produced the final response
        return HIGHEST_PRECEDENCE + 10;
    }
}
