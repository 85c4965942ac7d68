package io.linkguard.gateway.route;

import io.linkguard.gateway.config.ServiceUrls;
import io.linkguard.http.LoggedPath;
import io.linkguard.http.Problem;
import io.linkguard.http.RequestId;
import io.linkguard.http.RequestIdServerFilter;
import io.linkguard.http.net.ClientAddressResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The reverse proxy: after security and policy have accepted a request, send it to the service
 * that owns the path and stream the answer back unchanged (status, headers, body). The caller's
 * Authorization header goes along: every service validates the token again.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
class ProxyFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyFilter.class);
    /**
     * RFC 9110 §7.6.1 hop-by-hop headers, plus Host (the client sets the backend's) and Origin: the
     * gateway is the browser's origin; behind it the services are not, and Micronaut's CORS filter
     * refuses a localhost Origin arriving at another host (its drive-by-localhost protection).
     */
    private static final List<String> HOP_BY_HOP = List.of("Connection", "Keep-Alive", "Proxy-Authenticate",
            "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Origin");

    private final ProxyHttpClient client;
    private final Map<Backend, URI> targets;
    private final ClientAddressResolver addresses;
    private final MeterRegistry metrics;
    private final RouteTemplates templates = new RouteTemplates();

    ProxyFilter(ProxyHttpClient client, ClientAddressResolver addresses, MeterRegistry metrics, ServiceUrls services) {
        this.client = client;
        this.addresses = addresses;
        this.metrics = metrics;
        this.targets = Map.of(Backend.AUTH, services.auth(), Backend.REFRESHER, services.refresher(),
                Backend.HEALTH, services.health());
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 20;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Backend backend = Routes.route(request.getMethod(), request.getPath());
        if (backend == null) {
            return chain.proceed(request);
        }
        URI target = targets.get(backend);
        MutableHttpRequest<?> out = request.mutate().uri(b -> b.scheme(target.getScheme()).host(target.getHost())
                .port(target.getPort()));
        for (String h : HOP_BY_HOP) {
            out.getHeaders().remove(h);
        }
        // the client's trace context was read into the gateway's span; the client filter writes the
        // gateway's own span as the parent of the service's
        out.getHeaders().remove("traceparent");
        out.getHeaders().remove("tracestate");
        // Only the chain that trusted proxies vouch for goes on, ending with this connection's peer:
        // entries a client wrote itself are dropped, so nobody behind the gateway can pick an address
        // (auth-server's per-address sign-in limits rely on it).
        out.getHeaders().remove("X-Forwarded-For");
        out.getHeaders().set("X-Forwarded-For", addresses.resolve(request).forwardedFor());
        out.getHeaders().set("X-Forwarded-Proto", request.isSecure() ? "https" : "http");
        String host = request.getHeaders().get("Host");
        if (host != null) {
            out.getHeaders().set("X-Forwarded-Host", host);
        }
        RequestIdServerFilter.requestId(request).ifPresent(id -> out.getHeaders().set(RequestId.HEADER, id));
        long started = System.nanoTime();
        return Flux.from(client.proxy(out))
                .map(ProxyFilter::withoutBodyFraming)
                .onErrorResume(e -> {
                    LOG.warn("{} unreachable for {} {}: {}", backend, request.getMethod(), LoggedPath.of(request.getPath()), e.toString());
                    return Mono.just(unavailable(request, backend));
                })
                .doOnNext(response -> record(request, backend, response.code(), started));
    }

    /** Per route template and backend (Micronaut's own request metric sees only an unmatched URI here). */
    private void record(HttpRequest<?> request, Backend backend, int status, long started) {
        Timer.builder("linkguard.gateway.requests")
                .description("Requests the gateway routed, by route template, backend and status")
                .tag("route", templates.of(request.getPath())).tag("backend", backend.name().toLowerCase(java.util.Locale.ROOT))
                .tag("method", request.getMethodName()).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(metrics).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * 204 and 304 never carry a body (RFC 9110 §6.4.1), but the streamed answer would go out as
     * {@code Transfer-Encoding: chunked}, and a client that trusts the header waits for a chunk
     * that never comes (wrk, some proxies). Such answers go out with headers only.
     */
    private static MutableHttpResponse<?> withoutBodyFraming(MutableHttpResponse<?> response) {
        int code = response.code();
        if (code != HttpStatus.NOT_MODIFIED.getCode() && code != HttpStatus.NO_CONTENT.getCode()) {
            return response;
        }
        MutableHttpResponse<?> bare = HttpResponse.status(response.status());
        response.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Transfer-Encoding") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> bare.getHeaders().add(name, v));
            }
        });
        return bare;
    }

    private static MutableHttpResponse<?> unavailable(HttpRequest<?> request, Backend backend) {
        Problem p = Problem.of("service-unavailable", "Bad Gateway", 502,
                "A Linkguard service did not answer. Please try again in a moment.").at(request.getPath());
        return HttpResponse.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.of(Problem.MEDIA_TYPE)).body(p);
    }
}
