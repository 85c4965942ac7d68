package io.linkguard.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for auth-server in one service's own tests: an ES256 key published on a real
 * JWKS URL over HTTP, and tokens minted with the claims of docs/ARCHITECTURE.md, "Tokens". Also
 * mints the bad tokens every service must refuse ({@code alg: none}, HMAC, expired, wrong issuer).
 * System tests use the real auth-server instead.
 */
public final class TestTokenIssuer implements AutoCloseable {

    /** Audience every Linkguard service expects. */
    public static final String AUDIENCE = "linkguard";

    private final ECKey key;
    private final HttpServer server;
    private final String issuer;

    private TestTokenIssuer(String issuer) throws IOException, JOSEException {
        this.issuer = issuer;
        this.key = new ECKeyGenerator(Curve.P_256).keyID("test-" + UUID.randomUUID()).generate();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/oauth/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    /**
     * Starts an issuer with a fresh key on a random local port.
     *
     * @param issuer the {@code iss} the tokens carry
     * @return the running issuer
     */
    public static TestTokenIssuer start(String issuer) {
        try {
            return new TestTokenIssuer(issuer);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException("Could not start the test token issuer", e);
        }
    }

    /** @return the JWKS URL */
    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/jwks";
    }

    /** @return the issuer */
    public String issuer() {
        return issuer;
    }

    /**
     * Micronaut properties that make a service trust this issuer. The revocation list is switched
     * off: there is no auth-server to follow, and with it on the service would fail closed (refuse
     * every user token) once the list went stale. The system tests cover revocation end to end.
     *
     * @return properties for the service under test
     */
    public Map<String, String> properties() {
        return Map.of(
                "linkguard.security.jwks-url", jwksUrl(),
                "linkguard.security.issuer", issuer,
                "linkguard.security.audience", AUDIENCE,
                "linkguard.security.revocation.enabled", "false");
    }

    /**
     * A user's access token.
     *
     * @param userId user id ({@code sub})
     * @param orgId  org id
     * @param role   owner | admin | member
     * @param scope  space-separated scopes
     * @return the signed JWT
     */
    public String userToken(UUID userId, UUID orgId, String role, String scope) {
        return sign(claims(userId.toString(), "linkguard-dashboard", scope)
                .claim("org_id", orgId.toString()).claim("role", role).build());
    }

    /**
     * A service account's access token (client_credentials).
     *
     * @param clientId client id ({@code sub} and {@code client_id})
     * @param orgId    org id
     * @param scope    space-separated scopes
     * @return the signed JWT
     */
    public String serviceToken(String clientId, UUID orgId, String scope) {
        return sign(claims(clientId, clientId, scope).claim("org_id", orgId.toString()).build());
    }

    /**
     * An internal token, as Linkguard's own services use between themselves.
     *
     * @param clientId the calling service's client id
     * @return the signed JWT
     */
    public String internalToken(String clientId) {
        return sign(claims(clientId, clientId, "internal").build());
    }

    /**
     * @param claims claims to sign as given
     * @return the ES256-signed JWT with {@code typ: at+jwt}
     */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param claims claims @return an unsigned {@code alg: none} token */
    public String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** @param claims claims @return an HS256 token signed with a random secret */
    public String hmacSigned(JWTClaimsSet claims) {
        try {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param token a valid token @return the same token with its signature replaced by garbage */
    public static String tampered(String token) {
        int dot = token.lastIndexOf('.');
        byte[] junk = new byte[64];
        new SecureRandom().nextBytes(junk);
        return token.substring(0, dot + 1) + Base64URL.encode(junk);
    }

    /**
     * Standard claims of a valid token, for tests that change one of them.
     *
     * @param subject  {@code sub}
     * @param clientId {@code client_id}
     * @param scope    {@code scope}
     * @return a builder with iss, aud, iat, exp (10 min), jti, client_id and scope set
     */
    public JWTClaimsSet.Builder claims(String subject, String clientId, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", clientId).claim("scope", scope);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
