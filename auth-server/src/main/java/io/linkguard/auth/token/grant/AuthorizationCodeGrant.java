package io.linkguard.auth.token.grant;

import io.linkguard.auth.token.TokenLifetimes;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.token.OAuthError;
import io.linkguard.auth.token.OAuthException;
import io.linkguard.auth.token.TokenResponse;
import io.linkguard.auth.token.TokenStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** RFC 6749 §4.1.3 with PKCE S256 (RFC 7636) required for every client. */
@Singleton
public class AuthorizationCodeGrant {

    private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

    private final TokenStore store;
    private final UserTokens tokens;
    private final Duration familyLifetime;

    AuthorizationCodeGrant(TokenStore store, UserTokens tokens,
                           TokenLifetimes lifetimes) {
        this.store = store;
        this.tokens = tokens;
        this.familyLifetime = lifetimes.familyLifetime();
    }

    /**
     * The code is consumed first, in one statement; every check after that fails with the code
     * burnt, so a stolen code is worth one attempt at most.
     */
    @Transactional(noRollbackFor = OAuthException.class)
    public TokenResponse handle(RegisteredClient client, Map<String, String> form) {
        String code = form.get("code");
        String redirectUri = form.get("redirect_uri");
        String verifier = form.get("code_verifier");
        if (code == null || code.isBlank()) {
            throw OAuthError.INVALID_REQUEST.with("code is required.");
        }
        if (redirectUri == null) {
            throw OAuthError.INVALID_REQUEST.with("redirect_uri is required.");
        }
        if (verifier == null) {
            throw OAuthError.INVALID_REQUEST.with("code_verifier is required (PKCE).");
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw OAuthError.UNAUTHORIZED_CLIENT.with("This client may not use authorization_code.");
        }
        String codeHash = Hashes.sha256(code);
        TokenStore.Code consumed = store.consumeCode(codeHash);
        if (consumed == null) {
            if (store.codeWasUsed(codeHash)) {
                store.revokeFamiliesOfCode(codeHash);
            }
            throw OAuthError.INVALID_GRANT.with("The authorization code is invalid, expired or already used.");
        }
        if (!consumed.clientId().equals(client.clientId())) {
            throw OAuthError.INVALID_GRANT.with("The authorization code was issued to another client.");
        }
        if (!consumed.redirectUri().equals(redirectUri)) {
            throw OAuthError.INVALID_GRANT.with("redirect_uri does not match the authorization request.");
        }
        if (!VERIFIER.matcher(verifier).matches() || !s256(verifier).equals(consumed.codeChallenge())) {
            throw OAuthError.INVALID_GRANT.with("The code_verifier does not match the code_challenge.");
        }
        UUID familyId = UUID.randomUUID();
        Instant familyExpires = Instant.now().plus(familyLifetime);
        store.insertFamily(familyId, client.clientId(), consumed.userId(), consumed.scope(), codeHash, familyExpires);
        return tokens.issue(familyId, familyExpires, client.clientId(), consumed.userId(), consumed.scope());
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
