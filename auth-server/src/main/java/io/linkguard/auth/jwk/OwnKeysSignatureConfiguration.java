package io.linkguard.auth.jwk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

/**
 * auth-server validates bearer tokens against its own published keys, without a JWKS round trip
 * to itself. Only ES256 with a published {@code kid} verifies: {@code alg: none}, HMAC and
 * unknown keys are refused.
 */
@Singleton
class OwnKeysSignatureConfiguration implements SignatureConfiguration {

    private final SigningKeys keys;

    OwnKeysSignatureConfiguration(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only the ES256 algorithm is supported";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return JWSAlgorithm.ES256.equals(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        ECKey key = keys.find(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new ECDSAVerifier(key.toECPublicKey()));
    }
}
