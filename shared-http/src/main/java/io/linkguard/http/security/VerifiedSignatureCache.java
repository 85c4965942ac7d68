package io.linkguard.http.security;

import io.linkguard.http.config.SignatureCacheSettings;
import jakarta.inject.Inject;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;

/**
 * Remembers, for a short while, that the signature of an exact token was verified, so a token
 * presented again (a dashboard polls every minute, a worker reuses its token for ten) skips the
 * ECDSA verification, which costs about 2 ms of CPU on Java 17 and dominated every API request.
 *
 * <p>Only the signature check is cached, and only a successful one: the claim checks (expiry,
 * issuer, audience) still run on every request, and a forged or altered token is a different
 * string, so it never hits the cache. An entry lives until the token's {@code exp} or for the
 * configured time-to-live, whichever is sooner; that TTL bounds how long a token signed by a key
 * withdrawn from the JWKS keeps being accepted. Entries are keyed by the SHA-256 of the token, so
 * no bearer token is kept in memory.
 *
 * <p>Wraps Micronaut Security's own validator when it is created; switch it off with
 * {@code linkguard.security.signature-cache.enabled=false}.
 */
@Singleton
@Requires(classes = {ReactiveJsonWebTokenSignatureValidator.class, SignedJWT.class})
@Requires(property = "linkguard.security.signature-cache.enabled", notEquals = "false")
@SuppressWarnings({"rawtypes", "unchecked"})
public class VerifiedSignatureCache implements BeanCreatedEventListener<ReactiveJsonWebTokenSignatureValidator> {

    private final Duration ttl;
    private final long maxEntries;
    private final Clock clock;

    @Inject
    public VerifiedSignatureCache(SignatureCacheSettings settings) {
        this(settings.ttl(), settings.maxEntries(), Clock.systemUTC());
    }

    VerifiedSignatureCache(Duration ttl, long maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public ReactiveJsonWebTokenSignatureValidator onCreated(BeanCreatedEvent<ReactiveJsonWebTokenSignatureValidator> event) {
        return wrap(event.getBean());
    }

    ReactiveJsonWebTokenSignatureValidator<Object> wrap(ReactiveJsonWebTokenSignatureValidator<Object> delegate) {
        return new Caching(delegate, Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build(), clock);
    }

    private record Caching(ReactiveJsonWebTokenSignatureValidator<Object> delegate, Cache<String, Long> verified, Clock clock)
            implements ReactiveJsonWebTokenSignatureValidator<Object> {

        @Override
        public Publisher<Boolean> validateSignature(Object token) {
            if (!(token instanceof SignedJWT jwt) || jwt.getParsedString() == null) {
                return delegate.validateSignature(token);
            }
            String key = sha256(jwt.getParsedString());
            long now = clock.millis();
            Long until = verified.getIfPresent(key);
            if (until != null && until > now) {
                return Mono.just(Boolean.TRUE);
            }
            return Mono.from(delegate.validateSignature(token)).doOnNext(ok -> {
                if (Boolean.TRUE.equals(ok)) {
                    verified.put(key, expiry(jwt, now));
                }
            });
        }

        private static long expiry(SignedJWT jwt, long now) {
            try {
                Date exp = jwt.getJWTClaimsSet().getExpirationTime();
                return exp == null ? now : exp.getTime();   // no exp: verified, but not remembered
            } catch (java.text.ParseException e) {
                return now;
            }
        }

        private static String sha256(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
