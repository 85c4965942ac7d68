package io.linkguard.auth.token.grant;

import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.token.OAuthError;
import io.linkguard.auth.token.OAuthException;
import io.linkguard.auth.token.Scopes;
import io.linkguard.auth.token.TokenResponse;
import io.linkguard.auth.token.TokenStore;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Set;

/**
 * RFC 6749 §6 with rotation (OAuth 2.1 §4.3.1): every use consumes the token in one statement
 * and issues the next one in the same family. A used token presented again is treated as
 * theft: the family is revoked, so neither the thief nor the victim can continue.
 */
@Singleton
public class RefreshTokenGrant {

    private final TokenStore store;
    private final UserTokens tokens;

    RefreshTokenGrant(TokenStore store, UserTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    /**
     * Not in a transaction: the rotation is one statement (its own transaction), and everything
     * after it only signs. A refused token is inspected afterwards; only a used one, presented by
     * the family's own client, revokes the family.
     */
    public TokenResponse handle(RegisteredClient client, Map<String, String> form) {
        String token = form.get("refresh_token");
        if (token == null || token.isBlank()) {
            throw OAuthError.INVALID_REQUEST.with("refresh_token is required.");
        }
        if (!client.grantTypes().contains("refresh_token")) {
            throw OAuthError.UNAUTHORIZED_CLIENT.with("This client may not use refresh_token.");
        }
        String hash = Hashes.sha256(token);
        String next = tokens.newRefreshToken();
        TokenStore.Rotation rotation = store.rotateRefreshToken(hash, client.clientId(), Hashes.sha256(next),
                tokens.refreshLifetime());
        if (rotation == null) {
            TokenStore.SeenRefreshToken seen = store.inspectRefreshToken(hash);
            if (seen != null && seen.used() && client.clientId().equals(seen.clientId())) {
                store.revokeFamily(seen.familyId());
            }
            throw OAuthError.INVALID_GRANT.with("The refresh token is invalid, expired, revoked or already used.");
        }
        String scope = rotation.scope();
        String requested = form.get("scope");
        if (requested != null && !requested.isBlank()) {
            Set<String> asked = Scopes.parse(requested);
            if (!Scopes.parse(rotation.scope()).containsAll(asked)) {
                // the presented token is used up, as with any other refused refresh after rotation
                throw OAuthError.INVALID_SCOPE.with("A refresh cannot widen the granted scope.");
            }
            scope = String.join(" ", asked);
        }
        return tokens.respond(rotation.familyId(), client.clientId(), rotation.userId(), scope, rotation.orgId(),
                rotation.role(), next);
    }

}
