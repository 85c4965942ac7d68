package io.linkguard.http.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenTypeCheckTest {

    private final ReactiveJsonWebTokenSignatureValidator<Object> checked =
            new AccessTokenTypeCheck().wrap(token -> Mono.just(Boolean.TRUE));

    @Test
    void validateWhenTypIsAtJwtThenDelegated() throws Exception {
        assertThat(check(token(new JOSEObjectType("at+jwt")))).isTrue();
        assertThat(check(token(new JOSEObjectType("application/AT+JWT")))).isTrue();
    }

    @Test
    void validateWhenTypMissingOrOtherThenRefused() throws Exception {
        assertThat(check(token(null))).isFalse();
        assertThat(check(token(JOSEObjectType.JWT))).isFalse();
        assertThat(check(token(new JOSEObjectType("logout+jwt")))).isFalse();
    }

    private boolean check(SignedJWT jwt) {
        return Boolean.TRUE.equals(Mono.from(checked.validateSignature(jwt)).block());
    }

    private static SignedJWT token(JOSEObjectType typ) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(typ).keyID("k").build(),
                new JWTClaimsSet.Builder().subject("s").build());
        jwt.sign(new ECDSASigner(key));
        return SignedJWT.parse(jwt.serialize());
    }
}
