package io.linkguard.auth.token.grant;

import io.linkguard.auth.account.AccountRepository;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.auth.token.AccessTokenIssuer;
import io.linkguard.auth.token.OAuthError;
import io.linkguard.auth.token.TokenResponse;
import io.linkguard.auth.token.TokenStore;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Issues a user's access token and the next refresh token of a family (shared by the code and refresh grants). */
@Singleton
class UserTokens {

    private final AccessTokenIssuer issuer;
    private final TokenStore store;
    private final AccountRepository accounts;
    private final Duration refreshLifetime;

    UserTokens(AccessTokenIssuer issuer, TokenStore store, AccountRepository accounts,
               @Value("${linkguard.auth.refresh-token-lifetime:14d}") Duration refreshLifetime) {
        this.issuer = issuer;
        this.store = store;
        this.accounts = accounts;
        this.refreshLifetime = refreshLifetime;
    }

    TokenResponse issue(UUID familyId, Instant familyExpiresAt, String clientId, UUID userId, String scope) {
        // role and org are read now, not copied from the grant: a demoted admin loses admin at the next refresh
        UserAccount user = accounts.findById(userId);
        if (user == null) {
            throw OAuthError.INVALID_GRANT.with("The grant is no longer valid.");
        }
        String refresh = Hashes.randomToken();
        Instant refreshExpires = Instant.now().plus(refreshLifetime);
        // a refresh never extends the family's absolute lifetime
        store.insertRefreshToken(Hashes.sha256(refresh), familyId,
                refreshExpires.isBefore(familyExpiresAt) ? refreshExpires : familyExpiresAt);
        AccessTokenIssuer.Issued t = issuer.issue(userId.toString(), clientId, scope, user.orgId(), user.role(), familyId);
        store.recordAccessToken(t.jti(), familyId, clientId, t.expiresAt());
        return new TokenResponse(t.token(), "Bearer", issuer.lifetime().toSeconds(), refresh, scope);
    }
}
