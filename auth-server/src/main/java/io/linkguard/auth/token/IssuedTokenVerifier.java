package io.linkguard.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.linkguard.auth.config.IssuerConfiguration;
import io.linkguard.auth.jwk.SigningKeys;
import io.linkguard.auth.revocation.RevocationLog;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Date;

/**
 * Recognises an access token this server issued, for introspection (RFC 7662) and revocation
 * (RFC 7009): signed by one of our keys, our issuer, not expired, with a {@code jti}. Whether it
 * is still live is the revocation list's answer ({@link #live}).
 */
@Singleton
class IssuedTokenVerifier {

    private final SigningKeys keys;
    private final RevocationLog revocations;
    private final String issuer;

    IssuedTokenVerifier(SigningKeys keys, RevocationLog revocations, IssuerConfiguration identity) {
        this.keys = keys;
        this.revocations = revocations;
        this.issuer = identity.issuer();
    }

    /**
     * @param token anything presented as a token
     * @return its claims when it is an unexpired access token of this issuer, else null (opaque
     *         strings such as refresh tokens, malformed or foreign JWTs, bad signatures)
     */
    @Nullable
    JWTClaimsSet verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            ECKey key = keys.find(jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                return null;
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (!issuer.equals(c.getIssuer()) || exp == null || exp.before(new Date()) || c.getJWTID() == null) {
                return null;
            }
            return c;
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return null;
        }
    }

    /** @return whether no revocation (of the token, its family or its subject) has reached it */
    boolean live(JWTClaimsSet claims) {
        Object sid = claims.getClaim("sid");
        return !revocations.revokes(claims.getJWTID(), sid == null ? null : sid.toString(), claims.getSubject(),
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant());
    }
}
