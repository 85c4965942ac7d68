package io.linkguard.auth.token.grant;

import io.linkguard.auth.account.Role;
import io.linkguard.auth.token.TokenLifetimes;
import io.linkguard.auth.account.AccountRepository;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.auth.token.AccessTokenIssuer;
import io.linkguard.auth.token.OAuthError;
import io.linkguard.auth.token.TokenResponse;
import io.linkguard.auth.token.TokenStore;
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
               TokenLifetimes lifetimes) {
        this.issuer = issuer;
        this.store = store;
        this.accounts = accounts;
        this.refreshLifetime = lifetimes.refreshTokenLifetime();
    }

    /**
     * The {@code admin} scope only for owners and admins. A member's token with it could do
     * nothing more (every org-wide rule also checks the role), but a token should not claim a power
     * its holder lacks, and the dashboard may then always ask for {@code admin} and show the admin
     * view exactly when the granted scope (RFC 6749 §5.1 {@code scope}) has it. Decided at every
     * issue from the family's requested scope and the current role, so a promotion takes effect at
     * the next refresh like a demotion does.
     */
    static String forRole(String scope, String role) {
        if (Role.parse(role).map(Role::administers).orElse(false)) {
            return scope;
        }
        return String.join(" ", io.linkguard.auth.token.Scopes.parse(scope).stream().filter(s -> !s.equals("admin")).toList());
    }

    /**
     * The code grant: a family's first tokens. Role and org are read now, not copied from the grant.
     */
    TokenResponse issue(UUID familyId, Instant familyExpiresAt, String clientId, UUID userId, String scope) {
        UserAccount user = accounts.findById(userId);
        if (user == null) {
            throw OAuthError.INVALID_GRANT.with("The grant is no longer valid.");
        }
        String refresh = newRefreshToken();
        Instant refreshExpires = Instant.now().plus(refreshLifetime);
        // a refresh token never outlives its family's absolute lifetime
        store.insertRefreshToken(Hashes.sha256(refresh), familyId,
                refreshExpires.isBefore(familyExpiresAt) ? refreshExpires : familyExpiresAt);
        return respond(familyId, clientId, userId, scope, user.orgId(), user.role(), refresh);
    }

    /** @return a new refresh token's value (only its hash is stored) */
    String newRefreshToken() {
        return Hashes.randomToken();
    }

    /** @return how long a refresh token lives on its own (its family's lifetime caps it) */
    Duration refreshLifetime() {
        return refreshLifetime;
    }

    /**
     * The answer to a grant whose refresh token is already stored: the access token is signed for
     * the user's current org and role, with the family as {@code sid}.
     */
    TokenResponse respond(UUID familyId, String clientId, UUID userId, String scope, UUID orgId, String role, String refresh) {
        String granted = forRole(scope, role);
        AccessTokenIssuer.Issued t = issuer.issue(userId.toString(), clientId, granted, orgId, role, familyId);
        return new TokenResponse(t.token(), "Bearer", issuer.lifetime().toSeconds(), refresh, granted);
    }
}
