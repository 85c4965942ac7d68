package io.linkguard.auth.client;

import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.token.OAuthError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * RFC 7591 dynamic client registration for third-party applications. Gated by an initial
 * access token (RFC 7591 §3) unless an operator opens it. Registered clients always need the
 * user's consent and PKCE; redirect URIs must be https (or http on loopback) without fragments.
 */
@Controller("/oauth/register")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ClientRegistrationController {

    private final ClientRepository clients;
    private final boolean open;
    private final String initialAccessToken;

    ClientRegistrationController(ClientRepository clients, RegistrationConfiguration registration) {
        this.clients = clients;
        this.open = registration.open();
        this.initialAccessToken = registration.token();
    }

    @Post
    HttpResponse<Map<String, Object>> register(@Body Map<String, Object> metadata,
                                               @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!open && !authorized(authorization)) {
            throw OAuthError.INVALID_TOKEN.with("A valid initial access token is required to register clients.");
        }
        List<String> redirects = strings(metadata.get("redirect_uris"), "redirect_uris");
        if (redirects.isEmpty()) {
            throw OAuthError.INVALID_REDIRECT_URI.with("redirect_uris is required.");
        }
        for (String r : redirects) {
            if (!validRedirect(r)) {
                throw OAuthError.INVALID_REDIRECT_URI.with("Redirect URIs must be absolute https URLs (http only on loopback), without fragment.");
            }
        }
        String method = metadata.get("token_endpoint_auth_method") == null ? "client_secret_basic"
                : metadata.get("token_endpoint_auth_method").toString();
        if (!List.of("client_secret_basic", "client_secret_post", "none").contains(method)) {
            throw OAuthError.INVALID_CLIENT_METADATA.with("token_endpoint_auth_method must be client_secret_basic, client_secret_post or none.");
        }
        List<String> grants = metadata.get("grant_types") == null ? List.of("authorization_code", "refresh_token")
                : strings(metadata.get("grant_types"), "grant_types");
        if (!List.of("authorization_code", "refresh_token").containsAll(grants)) {
            throw OAuthError.INVALID_CLIENT_METADATA.with("Only authorization_code and refresh_token can be registered.");
        }
        List<String> scopes = metadata.get("scope") == null ? List.of("connectors:read")
                : List.of(metadata.get("scope").toString().trim().split("\\s+"));
        if (scopes.stream().anyMatch(s -> ClientRepository.FIRST_PARTY_ONLY_SCOPES.contains(s) || "internal".equals(s))) {
            // account:write (delete the account, change the password) and internal are never delegated
            throw OAuthError.INVALID_CLIENT_METADATA.with("account:write and internal cannot be registered: "
                    + "only Linkguard's own applications may hold them.");
        }
        List<String> allowed = new ArrayList<>(ClientRepository.USER_SCOPES);
        allowed.remove("admin");
        if (!allowed.containsAll(scopes)) {
            throw OAuthError.INVALID_CLIENT_METADATA.with("scope may contain only " + String.join(" ", allowed) + ".");
        }
        String name = metadata.get("client_name") == null ? "Unnamed application" : metadata.get("client_name").toString();
        if (name.length() > 100) {
            throw OAuthError.INVALID_CLIENT_METADATA.with("client_name is too long.");
        }
        String clientId = "app-" + UUID.randomUUID();
        String secret = method.equals("none") ? null : Hashes.randomToken();
        clients.insert(new RegisteredClient(clientId, secret == null ? null : Hashes.sha256(secret), "third_party", name, null,
                redirects, grants, scopes));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        if (secret != null) {
            out.put("client_secret", secret);
            out.put("client_secret_expires_at", 0);
        }
        out.put("client_id_issued_at", Instant.now().getEpochSecond());
        out.put("client_name", name);
        out.put("redirect_uris", redirects);
        out.put("grant_types", grants);
        out.put("response_types", List.of("code"));
        out.put("token_endpoint_auth_method", method);
        out.put("scope", String.join(" ", scopes));
        return HttpResponse.status(HttpStatus.CREATED).body(out).header("Cache-Control", "no-store");
    }

    private boolean authorized(@Nullable String authorization) {
        if (initialAccessToken.isBlank() || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                initialAccessToken.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> strings(@Nullable Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw OAuthError.INVALID_CLIENT_METADATA.with(field + " must be an array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw OAuthError.INVALID_CLIENT_METADATA.with(field + " must be an array of strings.");
            }
            out.add(s);
        }
        return out;
    }

    static boolean validRedirect(String uri) {
        try {
            URI u = new URI(uri);
            if (!u.isAbsolute() || u.getFragment() != null || u.getHost() == null) {
                return false;
            }
            boolean loopback = u.getHost().equals("localhost") || u.getHost().equals("127.0.0.1") || u.getHost().equals("[::1]");
            return "https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
