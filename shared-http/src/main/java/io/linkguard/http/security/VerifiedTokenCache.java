package io.linkguard.http.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWT;
import io.linkguard.http.config.SignatureCacheSettings;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Remembers, for a short while, what validating an exact token produced, so a token presented
 * again (a dashboard polls every minute, a worker reuses its token for minutes, and through the
 * gateway every request is validated twice) skips the parts whose outcome cannot change: parsing
 * the JWT (Base64 and JSON of header and claims), the ES256 signature check and building the
 * {@link Authentication}. Those were most of a cheap request's CPU (the signature alone about 2 ms
 * on Java 17; parsing 12–19 % of the gateway's and connector-health's samples with the signature
 * already cached).
 *
 * <p>What still runs on every request: every claims validator Micronaut Security would run
 * (expiry, not-before, issuer, audience, and {@link RevocationClaimsValidator}, so a revocation or
 * a stale revocation list takes effect on the next request exactly as without the cache), against
 * the claims remembered with the entry. Only successful validations are remembered; a forged or
 * altered token is a different string and so a different key. An entry lives until the token's
 * {@code exp} or for the configured time-to-live, whichever is sooner; that TTL bounds how long a
 * token signed by a key withdrawn from the JWKS keeps being accepted. Entries are keyed by the
 * SHA-256 of the token and hold its claims, never the token itself, so no bearer token is kept in
 * memory.
 *
 * <p>Wraps Micronaut Security's JWT validator when it is created; switch it off with
 * {@code linkguard.security.signature-cache.enabled=false}.
 */
@Singleton
@Requires(classes = {ReactiveJsonWebTokenValidator.class, JWT.class})
@Requires(property = "linkguard.security.signature-cache.enabled", notEquals = "false")
@SuppressWarnings({"rawtypes", "unchecked"})
public class VerifiedTokenCache implements BeanCreatedEventListener<ReactiveJsonWebTokenValidator> {

    private final Duration ttl;
    private final long maxEntries;
    private final Clock clock;
    private final Supplier<List<GenericJwtClaimsValidator>> claimsValidators;
    private final Supplier<JwtAuthenticationFactory> authentications;

    @Inject
    public VerifiedTokenCache(SignatureCacheSettings settings, BeanProvider<GenericJwtClaimsValidator> claimsValidators,
                              BeanProvider<JwtAuthenticationFactory> authentications) {
        // looked up at first use (then kept): the validators depend on beans, such as the revocation
        // list, that need not exist yet when Micronaut's validator is created
        this(settings.ttl(), settings.maxEntries(), Clock.systemUTC(),
                memoize(() -> claimsValidators.stream().toList()), memoize(authentications::get));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    v = supplier.get();
                    value = v;
                }
                return v;
            }
        };
    }

    VerifiedTokenCache(Duration ttl, long maxEntries, Clock clock, Supplier<List<GenericJwtClaimsValidator>> claimsValidators,
                       Supplier<JwtAuthenticationFactory> authentications) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.claimsValidators = claimsValidators;
        this.authentications = authentications;
    }

    @Override
    public ReactiveJsonWebTokenValidator onCreated(BeanCreatedEvent<ReactiveJsonWebTokenValidator> event) {
        return wrap(event.getBean());
    }

    ReactiveJsonWebTokenValidator<JWT, Object> wrap(ReactiveJsonWebTokenValidator<JWT, Object> delegate) {
        return new Caching(delegate, Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build());
    }

    /** A validated token: its authentication, its claims (for the per-request checks) and until when it may be reused. */
    private record Entry(Authentication authentication, Claims claims, long untilMillis) {
    }

    private final class Caching implements ReactiveJsonWebTokenValidator<JWT, Object> {

        private final ReactiveJsonWebTokenValidator<JWT, Object> delegate;
        private final Cache<String, Entry> validated;

        Caching(ReactiveJsonWebTokenValidator<JWT, Object> delegate, Cache<String, Entry> validated) {
            this.delegate = delegate;
            this.validated = validated;
        }

        @Override
        public Publisher<JWT> validate(String token, @Nullable Object request) {
            return delegate.validate(token, request);
        }

        @Override
        public Publisher<Authentication> validateToken(String token, @Nullable Object request) {
            String key = sha256(token);
            long now = clock.millis();
            Entry entry = validated.getIfPresent(key);
            if (entry != null && entry.untilMillis() > now) {
                return claimsHold(entry.claims(), request) ? Mono.just(entry.authentication()) : Mono.empty();
            }
            return Mono.from(delegate.validate(token, request)).flatMap(jwt -> {
                Optional<Authentication> authentication = authentications.get().createAuthentication(jwt);
                authentication.ifPresent(a -> remember(key, jwt, a, now));
                return Mono.justOrEmpty(authentication);
            });
        }

        private boolean claimsHold(Claims claims, @Nullable Object request) {
            for (GenericJwtClaimsValidator validator : claimsValidators.get()) {
                if (!validator.validate(claims, request)) {
                    return false;
                }
            }
            return true;
        }

        private void remember(String key, JWT jwt, Authentication authentication, long now) {
            try {
                Date exp = jwt.getJWTClaimsSet().getExpirationTime();
                if (exp != null) {   // no exp: valid, but not remembered
                    validated.put(key, new Entry(authentication, new JwtClaimsSetAdapter(jwt.getJWTClaimsSet()),
                            Math.min(exp.getTime(), now + ttl.toMillis())));
                }
            } catch (ParseException e) {
                // the delegate parsed these claims already; nothing to remember if they cannot be read again
            }
        }
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
