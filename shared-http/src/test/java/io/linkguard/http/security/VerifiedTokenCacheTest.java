package io.linkguard.http.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings({"rawtypes", "unchecked"})
class VerifiedTokenCacheTest {

    private ECKey key;
    private final AtomicInteger parsedAndVerified = new AtomicInteger();
    private final Set<String> revokedJtis = ConcurrentHashMap.newKeySet();
    /** Stands for every claims validator: expiry, and a revocation list that can change after a token was remembered. */
    private final List<GenericJwtClaimsValidator> validators = List.of(
            (claims, request) -> ((Date) claims.get(Claims.EXPIRATION_TIME)).toInstant().isAfter(now()),
            (claims, request) -> !revokedJtis.contains((String) claims.get(Claims.TOKEN_ID)));
    private final MutableClock clock = new MutableClock(Instant.now());
    private ReactiveJsonWebTokenValidator<JWT, Object> cached;

    @BeforeEach
    void setUp() throws JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
        // what Micronaut's validator does for an ES256 token (parse, verify, every claims validator), counted
        ReactiveJsonWebTokenValidator<JWT, Object> real = new ReactiveJsonWebTokenValidator<>() {
            @Override
            public Publisher<JWT> validate(String token, Object request) {
                parsedAndVerified.incrementAndGet();
                try {
                    SignedJWT jwt = SignedJWT.parse(token);
                    Claims claims = new JwtClaimsSetAdapter(jwt.getJWTClaimsSet());
                    boolean ok = jwt.verify(verifier) && validators.stream().allMatch(v -> v.validate(claims, request));
                    return ok ? Mono.just(jwt) : Mono.empty();
                } catch (Exception e) {
                    return Mono.empty();
                }
            }

            @Override
            public Publisher<Authentication> validateToken(String token, Object request) {
                throw new AssertionError("the cache builds the authentication itself");
            }
        };
        cached = new VerifiedTokenCache(Duration.ofMinutes(5), 1000, clock, () -> validators,
                () -> jwt -> {
                    try {
                        return Optional.of(Authentication.build(jwt.getJWTClaimsSet().getSubject(), jwt.getJWTClaimsSet().getClaims()));
                    } catch (java.text.ParseException e) {
                        return Optional.empty();
                    }
                }).wrap(real);
    }

    private Instant now() {
        return clock.instant();
    }

    @Test
    void validateWhenSameTokenTwiceThenParsedAndVerifiedOnceAndSameUser() throws Exception {
        String token = sign(key, "j1", now().plusSeconds(600));
        assertThat(user(token)).contains("u1");
        assertThat(user(token)).contains("u1");
        assertThat(parsedAndVerified).hasValue(1);
    }

    @Test
    void validateWhenSignatureBadThenRefusedEveryTimeAndNeverRemembered() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        String forged = sign(other, "j1", now().plusSeconds(600));
        assertThat(user(forged)).isEmpty();
        assertThat(user(forged)).isEmpty();
        assertThat(parsedAndVerified).hasValue(2);
    }

    @Test
    void validateWhenTokenAlteredAfterAGoodOneThenValidatedAgainAndRefused() throws Exception {
        String token = sign(key, "j1", now().plusSeconds(600));
        assertThat(user(token)).contains("u1");
        String[] parts = token.split("\\.");
        String altered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThat(user(altered)).isEmpty();
        assertThat(parsedAndVerified).hasValue(2);
    }

    @Test
    void validateWhenRememberedTokenIsRevokedThenRefusedAtTheNextRequest() throws Exception {
        String token = sign(key, "j1", now().plusSeconds(600));
        assertThat(user(token)).contains("u1");
        revokedJtis.add("j1");
        assertThat(user(token)).isEmpty();
        assertThat(parsedAndVerified).as("refused from the remembered claims").hasValue(1);
    }

    @Test
    void validateWhenRememberedTokenExpiresThenRefused() throws Exception {
        Instant exp = now().plusSeconds(60);
        String token = sign(key, "j1", exp);
        assertThat(user(token)).contains("u1");
        clock.now = exp.plusSeconds(1);
        assertThat(user(token)).isEmpty();
    }

    @Test
    void validateWhenTimeToLivePassesThenValidatedAgain() throws Exception {
        String token = sign(key, "j1", now().plusSeconds(3600));
        assertThat(user(token)).contains("u1");
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertThat(user(token)).contains("u1");
        assertThat(parsedAndVerified).hasValue(2);
    }

    private Optional<String> user(String token) {
        return Optional.ofNullable(Mono.from(cached.validateToken(token, null)).block()).map(Authentication::getName);
    }

    private static String sign(ECKey key, String jti, Instant exp) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("u1").jwtID(jti).expirationTime(Date.from(exp)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public long millis() {
            return now.toEpochMilli();
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
