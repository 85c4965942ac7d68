package io.linkguard.http.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedSignatureCacheTest {

    private ECKey key;
    private final AtomicInteger verifications = new AtomicInteger();
    private ReactiveJsonWebTokenSignatureValidator<Object> cached;

    @BeforeEach
    void setUp() throws JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
        // the real check, counted: what Micronaut's validator does for an ES256 token
        ReactiveJsonWebTokenSignatureValidator<Object> real = token -> {
            verifications.incrementAndGet();
            try {
                return Mono.just(((SignedJWT) token).verify(verifier));
            } catch (JOSEException e) {
                return Mono.just(false);
            }
        };
        cached = new VerifiedSignatureCache(Duration.ofMinutes(5), 1000, Clock.systemUTC()).wrap(real);
    }

    @Test
    void validateWhenSameTokenTwiceThenVerifiedOnce() throws Exception {
        String token = sign(key, Instant.now().plusSeconds(600));
        assertThat(check(token)).isTrue();
        assertThat(check(token)).isTrue();
        assertThat(verifications).hasValue(1);
    }

    @Test
    void validateWhenSignatureBadThenRefusedEveryTimeAndNeverRemembered() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        String forged = sign(other, Instant.now().plusSeconds(600));
        assertThat(check(forged)).isFalse();
        assertThat(check(forged)).isFalse();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void validateWhenTokenAlteredAfterAGoodOneThenVerifiedAgainAndRefused() throws Exception {
        String token = sign(key, Instant.now().plusSeconds(600));
        assertThat(check(token)).isTrue();
        String[] parts = token.split("\\.");
        String altered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThat(check(altered)).isFalse();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void validateWhenRememberedTokenExpiresThenVerifiedAgain() throws Exception {
        Instant exp = Instant.now().plusSeconds(60);
        String token = sign(key, exp);
        MutableClock clock = new MutableClock(Instant.now());
        ReactiveJsonWebTokenSignatureValidator<Object> real = t -> {
            verifications.incrementAndGet();
            return Mono.just(true);
        };
        ReactiveJsonWebTokenSignatureValidator<Object> c = new VerifiedSignatureCache(Duration.ofMinutes(5), 1000, clock).wrap(real);
        Mono.from(c.validateSignature(SignedJWT.parse(token))).block();
        clock.now = exp.plusSeconds(1);
        Mono.from(c.validateSignature(SignedJWT.parse(token))).block();
        assertThat(verifications).hasValue(2);
    }

    private boolean check(String token) throws ParseException {
        return Boolean.TRUE.equals(Mono.from(cached.validateSignature(SignedJWT.parse(token))).block());
    }

    private static String sign(ECKey key, Instant exp) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("u1").expirationTime(Date.from(exp)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
