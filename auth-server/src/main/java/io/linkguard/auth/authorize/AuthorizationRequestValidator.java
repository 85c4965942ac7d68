package io.linkguard.auth.authorize;

import io.linkguard.auth.client.ClientRepository;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.token.Scopes;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Checks an authorization request (RFC 6749 §4.1.1 with PKCE S256): a known client, its exactly
 * registered redirect URI, {@code response_type=code}, a well-formed S256 challenge, a grant type and
 * scope the client may use. Errors before the redirect URI is trusted carry none, so they are shown
 * rather than redirected.
 */
@Singleton
class AuthorizationRequestValidator {

    private final ClientRepository clients;

    AuthorizationRequestValidator(ClientRepository clients) {
        this.clients = clients;
    }

    AuthorizationRequest validate(Map<String, String> p) {
        String clientId = p.get("client_id");
        RegisteredClient client = clientId == null ? null : clients.find(clientId);
        if (client == null || client.redirectUris().isEmpty()) {
            throw new AuthorizeError("invalid_request", "Unknown application.", null, null);
        }
        String redirectUri = p.get("redirect_uri");
        // Exact string match only (OAuth 2.1 §2.3.1): no prefix, no wildcard, no normalisation.
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw new AuthorizeError("invalid_request", "The redirect address is not registered for this application.", null, null);
        }
        String state = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            throw new AuthorizeError("unsupported_response_type", "Only response_type=code is supported.", redirectUri, state);
        }
        String challenge = p.get("code_challenge");
        if (challenge == null || challenge.isBlank()) {
            throw new AuthorizeError("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.",
                    redirectUri, state);
        }
        if (!"S256".equals(p.get("code_challenge_method"))) {
            throw new AuthorizeError("invalid_request", "Only code_challenge_method=S256 is accepted.", redirectUri, state);
        }
        if (!challenge.matches("^[A-Za-z0-9_-]{43}$")) {
            throw new AuthorizeError("invalid_request", "code_challenge must be a base64url SHA-256 hash.", redirectUri, state);
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw new AuthorizeError("unauthorized_client", "This application may not use the authorization code flow.",
                    redirectUri, state);
        }
        String scope;
        try {
            scope = Scopes.narrow(p.get("scope"), client.scopes());
        } catch (RuntimeException e) {
            throw new AuthorizeError("invalid_scope", "The requested scope is not allowed for this application.", redirectUri, state);
        }
        // Belt and braces: even a client row that lists a first-party-only scope (registered before
        // the rule, or edited by hand) gets it only when it is first-party.
        if (!"first_party".equals(client.kind())
                && Scopes.parse(scope).stream().anyMatch(ClientRepository.FIRST_PARTY_ONLY_SCOPES::contains)) {
            throw new AuthorizeError("invalid_scope", "The requested scope is not allowed for this application.", redirectUri, state);
        }
        return new AuthorizationRequest(client, redirectUri, scope, state, challenge);
    }
}
