package io.linkguard.auth.token;

import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.client.ClientRepository;
import io.linkguard.auth.client.RegisteredClient;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3):
 * {@code client_secret_basic}, {@code client_secret_post}, or {@code none} for public clients
 * (which then must use PKCE). Using two methods at once is refused.
 */
@Singleton
public class ClientAuthenticator {

    private final ClientRepository clients;

    ClientAuthenticator(ClientRepository clients) {
        this.clients = clients;
    }

    /**
     * @param authorization the Authorization header, if any
     * @param form          the form parameters
     * @return the authenticated (or, for public clients, identified) client
     */
    public RegisteredClient authenticate(@Nullable String authorization, Map<String, String> form) {
        String id;
        String secret;
        String rawSecret = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (form.containsKey("client_secret")) {
                throw OAuthError.INVALID_REQUEST.with("Use one client authentication method, not two.");
            }
            BasicCredentials credentials = BasicCredentials.decode(authorization.substring(6));
            id = credentials.id();
            secret = credentials.secret();
            rawSecret = credentials.rawSecret();
            String formId = form.get("client_id");
            if (formId != null && !formId.equals(id)) {
                throw OAuthError.INVALID_REQUEST.with("client_id does not match the authenticated client.");
            }
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
        }
        if (id == null || id.isBlank()) {
            throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
        }
        RegisteredClient client = clients.find(id);
        if (client == null) {
            throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
        }
        if (client.confidential()) {
            if (secret == null || !(Hashes.matches(secret, client.secretHash())
                    || (rawSecret != null && Hashes.matches(rawSecret, client.secretHash())))) {
                throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
            }
        } else if (secret != null) {
            throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
        }
        return client;
    }

    /** A decoded {@code Authorization: Basic} credential. */
    private record BasicCredentials(String id, String secret, String rawSecret) {

        /**
         * Anything malformed (not Base64, no colon, bad percent-encoding) is the client failing to
         * authenticate: invalid_client, never a server error.
         */
        static BasicCredentials decode(String encoded) {
            try {
                String decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
                }
                // RFC 6749 §2.3.1 says both parts are form-urlencoded before Base64, but many clients skip that;
                // the raw value is checked too, so a secret containing '+' works either way.
                String rawSecret = decoded.substring(colon + 1);
                return new BasicCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(rawSecret, StandardCharsets.UTF_8), rawSecret);
            } catch (IllegalArgumentException e) {
                // Base64 and URLDecoder both signal malformed input this way
                throw OAuthError.INVALID_CLIENT.with("Client authentication failed.");
            }
        }
    }
}
