package io.linkguard.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code POST /token} (authorization_code, refresh_token) and {@code POST /revoke} (RFC 7009),
 * with client authentication by HTTP Basic or by form parameters, and the injected faults and
 * latency of the control API applied to token requests.
 */
final class TokenHandler implements HttpHandler {

    private final ProviderState state;

    TokenHandler(ProviderState state) {
        this.state = state;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/token") && !path.equals("/revoke")) {
            Http.json(ex, 404, Map.of("error", "not_found"));
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            Http.json(ex, 405, Map.of("error", "method_not_allowed"));
            return;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        boolean jsonBody = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        String text = Http.readBody(ex);
        Map<String, String> form = jsonBody ? jsonForm(text) : Http.parseForm(text);
        try {
            if (path.equals("/token")) {
                if (state.quirks().contains(Quirk.JSON_TOKEN_BODY) && !jsonBody) {
                    throw OAuthError.INVALID_REQUEST.toException();
                }
                token(ex, form);
            } else {
                revoke(ex, form);
            }
        } catch (OAuthError.Exception e) {
            if (path.equals("/token")) {
                quirkyError(ex, e.error, form.get("grant_type"));
            } else {
                Http.oauthError(ex, e.error);
            }
        }
    }

    /** A JSON token request read as if it were a form: top-level scalars as strings; unreadable JSON is empty. */
    private static Map<String, String> jsonForm(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try {
            Http.readJson(text).forEach((k, v) -> {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    out.put(k, String.valueOf(v));
                }
            });
        } catch (RuntimeException e) {
            return Map.of(); // no grant_type: answered invalid_request
        }
        return out;
    }

    /**
     * A refusal (400/401) as the quirks that are on shape it: Slack's {@code ok:false} envelope or
     * GitHub's error-in-a-200; otherwise RFC 6749 §5.2. Server errors and 429 keep their status.
     */
    private void quirkyError(HttpExchange ex, OAuthError error, String grantType) throws IOException {
        boolean refusal = error.status == 400 || error.status == 401;
        if (refusal && state.quirks().contains(Quirk.OK_FALSE_ENVELOPE)) {
            String code = switch (error) {
                case INVALID_GRANT -> "refresh_token".equals(grantType) ? "invalid_refresh_token" : "invalid_code";
                case INVALID_CLIENT -> "invalid_client_id";
                default -> error.code;
            };
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("ok", false);
            body.put("error", code);
            Http.json(ex, 200, body);
        } else if (refusal && state.quirks().contains(Quirk.ERRORS_IN_OK_BODY)) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("error", error.code);
            body.put("error_description", error.description);
            Http.json(ex, 200, body);
        } else {
            Http.oauthError(ex, error);
        }
    }

    private void token(HttpExchange ex, Map<String, String> form) throws IOException {
        String grantType = form.get("grant_type");
        state.countTokenRequest(grantType);
        if ("refresh_token".equals(grantType)) {
            state.countRefreshRequest(form.get("refresh_token"));
        }
        // Counted while the provider "works" on the request (the configured latency): a client that
        // frees its slot on an answer can never overlap the tail of that same answer here.
        state.tokenRequestStarted();
        try {
            sleep(state.tokenLatencyMillis());
        } finally {
            state.tokenRequestEnded();
        }
        Failure failure = state.takeFailure();
        if (failure != null) {
            switch (failure.mode()) {
                case SERVER_ERROR -> throw OAuthError.SERVER_ERROR.toException();
                case TOO_MANY_REQUESTS -> {
                    ex.getResponseHeaders().set("Retry-After", Integer.toString(failure.retryAfterSeconds()));
                    throw OAuthError.TEMPORARILY_UNAVAILABLE.toException();
                }
                case SLOW -> sleep(failure.delayMillis());
                case FORBIDDEN_PAGE -> {
                    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    Http.send(ex, 403, "<html><body><h1>Request blocked</h1></body></html>"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    return;
                }
                case DROP_CONNECTION -> throw new Http.DropConnection();
                case ROTATE_THEN_DROP -> {
                    // The provider does the work (a refresh rotates) and the answer never arrives.
                    try {
                        grant(grantType, authenticate(ex, form), form);
                    } catch (OAuthError.Exception ignored) {
                        // dropped either way
                    }
                    throw new Http.DropConnection();
                }
            }
        }
        Http.json(ex, 200, ProviderState.tokenResponse(grant(grantType, authenticate(ex, form), form), state.quirks()));
    }

    private ProviderState.IssuedTokens grant(String grantType, String clientId, Map<String, String> form) {
        if (grantType == null) {
            throw OAuthError.INVALID_REQUEST.toException();
        }
        return switch (grantType) {
            case "authorization_code" -> state.redeemCode(clientId, form.get("code"), form.get("redirect_uri"),
                    form.get("code_verifier"));
            case "refresh_token" -> state.refresh(clientId, form.get("refresh_token"), form.get("scope"));
            default -> throw OAuthError.UNSUPPORTED_GRANT_TYPE.toException();
        };
    }

    private void revoke(HttpExchange ex, Map<String, String> form) throws IOException {
        String clientId = authenticate(ex, form);
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.toException();
        }
        state.revokeToken(clientId, token);
        // RFC 7009 §2.2: 200 whether or not the token was known.
        Http.empty(ex, 200);
    }

    /** client_secret_basic or client_secret_post (RFC 6749 §2.3.1); never both. */
    private String authenticate(HttpExchange ex, Map<String, String> form) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String clientId;
        String secret;
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic ? state.quirks().contains(Quirk.CLIENT_AUTH_POST_ONLY) : state.quirks().contains(Quirk.CLIENT_AUTH_BASIC_ONLY)) {
            throw OAuthError.INVALID_CLIENT.toException();
        }
        if (basic) {
            if (form.containsKey("client_secret")) {
                throw OAuthError.INVALID_REQUEST.toException();
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.INVALID_CLIENT.toException();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.INVALID_CLIENT.toException();
            }
            clientId = Http.decode(decoded.substring(0, colon));
            secret = Http.decode(decoded.substring(colon + 1));
            String formClient = form.get("client_id");
            if (formClient != null && !formClient.equals(clientId)) {
                throw OAuthError.INVALID_REQUEST.toException();
            }
        } else {
            clientId = form.get("client_id");
            secret = form.get("client_secret");
        }
        if (!state.clientSecretMatches(clientId, secret)) {
            throw OAuthError.INVALID_CLIENT.toException();
        }
        return clientId;
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
