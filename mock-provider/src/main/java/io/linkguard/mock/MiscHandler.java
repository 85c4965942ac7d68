package io.linkguard.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /userinfo} (bearer), RFC 8414 metadata, {@code GET /health}, and 404 for the rest. */
final class MiscHandler implements HttpHandler {

    private final MockProvider provider;
    private final ProviderState state;

    MiscHandler(MockProvider provider, ProviderState state) {
        this.provider = provider;
        this.state = state;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Http.readBody(ex);
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/userinfo" -> userinfo(ex);
            case "/.well-known/oauth-authorization-server" -> Http.json(ex, 200, metadata());
            case "/health" -> Http.json(ex, 200, Map.of("status", "UP"));
            default -> Http.json(ex, 404, Map.of("error", "not_found"));
        }
    }

    private void userinfo(HttpExchange ex) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        ProviderState.AccessToken at = state.introspect(token);
        if (at == null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Http.json(ex, 401, Map.of("error", "invalid_token"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", at.grant().user);
        out.put("name", at.grant().user);
        out.put("scope", String.join(" ", at.scopes()));
        Http.json(ex, 200, out);
    }

    private Map<String, Object> metadata() {
        String base = provider.baseUrl();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("issuer", base);
        out.put("authorization_endpoint", base + "/authorize");
        out.put("token_endpoint", base + "/token");
        out.put("revocation_endpoint", base + "/revoke");
        out.put("userinfo_endpoint", base + "/userinfo");
        out.put("response_types_supported", List.of("code"));
        out.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        out.put("code_challenge_methods_supported", List.of("S256"));
        out.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        return out;
    }
}
