package io.linkguard.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /authorize} (RFC 6749 §4.1.1, RFC 7636): approves at once for the user named by
 * {@code login_hint} or {@code user} (default from the config), or shows a one-click consent page
 * whose form posts back to {@code POST /authorize}.
 */
final class AuthorizeHandler implements HttpHandler {

    private final ProviderState state;

    AuthorizeHandler(ProviderState state) {
        this.state = state;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/authorize")) {
            Http.json(ex, 404, Map.of("error", "not_found"));
            return;
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> authorize(ex, Http.query(ex), false);
            case "POST" -> authorize(ex, Http.parseForm(Http.readBody(ex)), true);
            default -> Http.json(ex, 405, Map.of("error", "method_not_allowed"));
        }
    }

    private void authorize(HttpExchange ex, Map<String, String> p, boolean consentSubmitted) throws IOException {
        String clientId = p.get("client_id");
        String redirectUri = p.get("redirect_uri");
        // Never redirect to an address we could not tie to a client (RFC 6749 §4.1.2.1).
        if (!state.isClient(clientId)) {
            Http.html(ex, 400, "Unknown client", "<p>The client_id is missing or not registered.</p>");
            return;
        }
        if (redirectUri == null || !isAbsoluteHttp(redirectUri)) {
            Http.html(ex, 400, "Invalid redirect_uri", "<p>redirect_uri must be an absolute http(s) URI.</p>");
            return;
        }
        String st = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            redirectError(ex, redirectUri, "unsupported_response_type", st);
            return;
        }
        String challenge = emptyToNull(p.get("code_challenge"));
        String method = p.getOrDefault("code_challenge_method", "plain");
        if ((challenge != null && !"S256".equals(method)) || (challenge == null && state.config().requirePkce())) {
            redirectError(ex, redirectUri, "invalid_request", st);
            return;
        }
        String forcedError = state.authorizeError();
        if (forcedError != null) {
            redirectError(ex, redirectUri, forcedError, st);
            return;
        }
        String user = firstNonBlank(p.get("user"), p.get("login_hint"), state.config().defaultUser());
        if (state.config().consentPage() && !consentSubmitted) {
            consentPage(ex, p, user);
            return;
        }
        if (consentSubmitted && !"approve".equals(p.get("decision"))) {
            redirectError(ex, redirectUri, "access_denied", st);
            return;
        }
        String code = state.issueCode(clientId, user, redirectUri, challenge, ProviderState.splitScopes(p.get("scope")));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", st);
        Http.redirect(ex, Http.appendQuery(redirectUri, params));
    }

    private static void consentPage(HttpExchange ex, Map<String, String> p, String user) throws IOException {
        StringBuilder form = new StringBuilder();
        form.append("<p>Signed in as <b>").append(Http.escape(user)).append("</b>. <b>")
                .append(Http.escape(p.get("client_id"))).append("</b> asks for: <code>")
                .append(Http.escape(p.getOrDefault("scope", ""))).append("</code></p>")
                .append("<form method=\"post\" action=\"/authorize\">");
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (!e.getKey().equals("decision")) {
                form.append("<input type=\"hidden\" name=\"").append(Http.escape(e.getKey()))
                        .append("\" value=\"").append(Http.escape(e.getValue())).append("\">");
            }
        }
        form.append("<input type=\"hidden\" name=\"user\" value=\"").append(Http.escape(user)).append("\">")
                .append("<button name=\"decision\" value=\"approve\" type=\"submit\">Approve</button> ")
                .append("<button name=\"decision\" value=\"deny\" type=\"submit\">Deny</button></form>");
        Http.html(ex, 200, "Mock provider: authorize access", form.toString());
    }

    private static void redirectError(HttpExchange ex, String redirectUri, String error, String st) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("state", st);
        Http.redirect(ex, Http.appendQuery(redirectUri, params));
    }

    private static boolean isAbsoluteHttp(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))
                    && u.getHost() != null && u.getFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
