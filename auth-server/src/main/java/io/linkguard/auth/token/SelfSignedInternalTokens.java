package io.linkguard.auth.token;

import io.linkguard.auth.connect.InternalTokenSource;
import jakarta.inject.Singleton;

import java.time.Instant;

/** auth-server's own internal token for calls to the other services: signed locally, reused until near expiry. */
@Singleton
class SelfSignedInternalTokens implements InternalTokenSource {

    static final String CLIENT_ID = "linkguard-auth-server";

    private final AccessTokenIssuer issuer;
    private volatile AccessTokenIssuer.Issued current;

    SelfSignedInternalTokens(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String internalToken() {
        AccessTokenIssuer.Issued t = current;
        if (t == null || Instant.now().isAfter(t.expiresAt().minusSeconds(60))) {
            t = issuer.issue(CLIENT_ID, CLIENT_ID, "internal", null, null);
            current = t;
        }
        return t.token();
    }
}
