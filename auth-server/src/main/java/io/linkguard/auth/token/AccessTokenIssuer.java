package io.linkguard.auth.token;

import io.linkguard.auth.config.IssuerConfiguration;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.linkguard.auth.jwk.SigningKeys;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/** Signs RFC 9068 JWT access tokens with the current ES256 key (claims: docs/ARCHITECTURE.md, "Tokens"). */
@Singleton
public class AccessTokenIssuer {

    /** An issued token. */
    public record Issued(String token, UUID jti, Instant expiresAt) {
    }

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Map<String, ECDSASigner> signers = new ConcurrentHashMap<>();

    AccessTokenIssuer(SigningKeys keys, IssuerConfiguration identity, TokenLifetimes lifetimes) {
        this.keys = keys;
        this.issuer = identity.issuer();
        this.audience = identity.audience();
        this.lifetime = lifetimes.accessTokenLifetime();
    }

    /**
     * @param subject  user id, or client id for client_credentials
     * @param clientId the client the token was issued to
     * @param scope    space-separated scopes
     * @param orgId    the org, null for internal tokens
     * @param role     the user's role, null for clients
     * @return the signed token
     */
    public Issued issue(String subject, String clientId, String scope, @Nullable UUID orgId, @Nullable String role) {
        return issue(subject, clientId, scope, orgId, role, null);
    }

    /**
     * @param sid the session: the refresh-token family a user token descends from, so revoking the
     *            family revokes its access tokens at every service; null for client_credentials
     *            tokens (revoked one by one by jti)
     * @return the signed token
     * @see #issue(String, String, String, UUID, String)
     */
    public Issued issue(String subject, String clientId, String scope, @Nullable UUID orgId, @Nullable String role,
                        @Nullable UUID sid) {
        Instant now = Instant.now();
        UUID jti = UUID.randomUUID();
        Instant exp = now.plus(lifetime);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(exp)).jwtID(jti.toString())
                .claim("client_id", clientId).claim("scope", scope);
        if (orgId != null) {
            claims.claim("org_id", orgId.toString());
        }
        if (role != null) {
            claims.claim("role", role);
        }
        if (sid != null) {
            claims.claim("sid", sid.toString());
        }
        ECKey key = keys.current();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims.build());
            jwt.sign(signers.computeIfAbsent(key.getKeyID(), k -> signer(key)));
            return new Issued(jwt.serialize(), jti, exp);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing an access token failed", e);
        }
    }

    /** @return the access token lifetime */
    public Duration lifetime() {
        return lifetime;
    }

    /** @return the issuer */
    public String issuer() {
        return issuer;
    }

    /**
     * ES256 through Bouncy Castle (already here for Argon2id), with the key translated to BC's own
     * key class once: BC then reuses its precomputed multiples of the curve's base point, and a
     * signature costs about a sixth of the JDK's on Java 17 (signing was most of a grant's CPU).
     */
    private static ECDSASigner signer(ECKey key) {
        try {
            PrivateKey bcKey = (PrivateKey) KeyFactory.getInstance("EC", BouncyCastleProviderSingleton.getInstance())
                    .translateKey(key.toECPrivateKey());
            ECDSASigner signer = new ECDSASigner(bcKey, Curve.P_256);
            signer.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
            return signer;
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
