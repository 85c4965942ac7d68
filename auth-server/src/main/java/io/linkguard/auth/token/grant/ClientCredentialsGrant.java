package io.linkguard.auth.token.grant;

import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.token.AccessTokenIssuer;
import io.linkguard.auth.token.OAuthError;
import io.linkguard.auth.token.Scopes;
import io.linkguard.auth.token.TokenResponse;
import jakarta.inject.Singleton;

import java.util.Map;

/** RFC 6749 §4.4: service accounts (workers) and Linkguard's own services. */
@Singleton
public class ClientCredentialsGrant {

    private final AccessTokenIssuer issuer;

    ClientCredentialsGrant(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    public TokenResponse handle(RegisteredClient client, Map<String, String> form) {
        if (!client.confidential()) {
            throw OAuthError.UNAUTHORIZED_CLIENT.with("Public clients cannot use client_credentials.");
        }
        if (!client.grantTypes().contains("client_credentials")) {
            throw OAuthError.UNAUTHORIZED_CLIENT.with("This client may not use client_credentials.");
        }
        String scope = Scopes.narrow(form.get("scope"), client.scopes());
        AccessTokenIssuer.Issued t = issuer.issue(client.clientId(), client.clientId(), scope, client.orgId(), null);
        return new TokenResponse(t.token(), "Bearer", issuer.lifetime().toSeconds(), null, scope);
    }
}
