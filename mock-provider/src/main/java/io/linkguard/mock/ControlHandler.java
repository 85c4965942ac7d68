package io.linkguard.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP face of the control API under {@code /control/}: the same operations as the Java
 * methods of {@link MockProvider}, for tests and demos that run the provider as a process.
 * Dev/test only, unauthenticated on purpose (the mock never runs in production).
 */
final class ControlHandler implements HttpHandler {

    private final MockProvider provider;

    ControlHandler(MockProvider provider) {
        this.provider = provider;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        try {
            Map<String, Object> body = Http.readJson(Http.readBody(ex));
            route(ex, method, path, body);
        } catch (IllegalArgumentException | ClassCastException e) {
            Http.json(ex, 400, Map.of("error", "bad_request", "message", String.valueOf(e.getMessage())));
        }
    }

    private void route(HttpExchange ex, String method, String path, Map<String, Object> body) throws IOException {
        if (path.equals("/control/counters") && method.equals("GET")) {
            Http.json(ex, 200, countersJson(provider.counters()));
        } else if (path.equals("/control/counters/reset") && method.equals("POST")) {
            provider.resetCounters();
            Http.empty(ex, 204);
        } else if (path.equals("/control/reset") && method.equals("POST")) {
            provider.reset();
            Http.empty(ex, 204);
        } else if (path.startsWith("/control/users/") && path.endsWith("/revoke") && method.equals("POST")) {
            String user = Http.decode(path.substring("/control/users/".length(), path.length() - "/revoke".length()));
            if (user.isEmpty() || user.contains("/")) {
                throw new IllegalArgumentException("bad user");
            }
            Http.json(ex, 200, Map.of("user", user, "revokedGrants", provider.revokeUser(user)));
        } else if (path.equals("/control/failures") && method.equals("POST")) {
            Failure f = new Failure(Failure.Mode.fromWireName(string(body, "mode")),
                    (int) number(body, "retryAfterSeconds", 1), number(body, "delayMillis", 0));
            Object count = body.get("count");
            if (count == null) {
                provider.injectFailureUntilCleared(f);
            } else {
                provider.injectFailure(f, ((Number) count).intValue());
            }
            Http.empty(ex, 204);
        } else if (path.equals("/control/failures") && method.equals("DELETE")) {
            provider.clearFailures();
            Http.empty(ex, 204);
        } else if (path.equals("/control/latency") && method.equals("PUT")) {
            provider.tokenLatency(Duration.ofMillis(number(body, "millis", 0)));
            Http.empty(ex, 204);
        } else if (path.equals("/control/authorize-error") && method.equals("PUT")) {
            provider.failAuthorizations(string(body, "error"));
            Http.empty(ex, 204);
        } else if (path.equals("/control/authorize-error") && method.equals("DELETE")) {
            provider.failAuthorizations(null);
            Http.empty(ex, 204);
        } else if (path.equals("/control/denied-scopes") && method.equals("PUT")) {
            Object scopes = body.getOrDefault("scopes", List.of());
            provider.denyScopes(((List<?>) scopes).stream().map(String::valueOf).toList());
            Http.empty(ex, 204);
        } else if (path.equals("/control/settings") && method.equals("PUT")) {
            if (body.containsKey("accessTokenLifetimeSeconds")) {
                provider.accessTokenLifetime(Duration.ofSeconds(number(body, "accessTokenLifetimeSeconds", 0)));
            }
            if (body.containsKey("rotateRefreshTokens")) {
                provider.rotateRefreshTokens((Boolean) body.get("rotateRefreshTokens"));
            }
            if (body.containsKey("quirks")) {
                provider.quirks(((List<?>) body.get("quirks")).stream().map(q -> Quirk.fromWireName(String.valueOf(q)))
                        .collect(java.util.stream.Collectors.toSet()));
            }
            Http.json(ex, 200, settingsJson());
        } else if (path.equals("/control/settings") && method.equals("GET")) {
            Http.json(ex, 200, settingsJson());
        } else {
            Http.json(ex, 404, Map.of("error", "not_found"));
        }
    }

    private Map<String, Object> settingsJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessTokenLifetimeSeconds", provider.accessTokenLifetime().toSeconds());
        out.put("rotateRefreshTokens", provider.rotateRefreshTokens());
        out.put("tokenLatencyMillis", provider.tokenLatency().toMillis());
        out.put("quirks", provider.quirks().stream().map(Quirk::wireName).sorted().toList());
        return out;
    }

    static Map<String, Object> countersJson(MockCounters c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refreshRequests", c.refreshRequests());
        out.put("refreshRequestsByUser", c.refreshRequestsByUser());
        out.put("successfulRefreshes", c.successfulRefreshes());
        out.put("tokenRequestsByGrant", c.tokenRequestsByGrant());
        out.put("authorizations", c.authorizations());
        out.put("revocations", c.revocations());
        out.put("maxConcurrentTokenRequests", c.maxConcurrentTokenRequests());
        return out;
    }

    private static String string(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return s;
    }

    private static long number(Map<String, Object> body, String name, long dflt) {
        Object v = body.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(name + " must be a number");
        }
        return n.longValue();
    }
}
