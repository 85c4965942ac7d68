package io.linkguard.http.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Locale;

/**
 * RFC 9068 §4: a resource server accepts a JWT as an access token only when its header says
 * {@code typ: at+jwt} (or {@code application/at+jwt}), so no other kind of JWT signed by the same
 * key (an ID token, a future logout token) can be replayed as an access token. Any other or a
 * missing {@code typ} fails like a bad signature: 401.
 *
 * <p>Hooked where the header is at hand: around Micronaut Security's signature validator (the
 * claims validators only see claims). A token with the wrong {@code typ} never verifies, so
 * {@link VerifiedTokenCache} never remembers it. Switch off with
 * {@code linkguard.security.require-at-jwt=false}.
 */
@Singleton
@Requires(classes = {ReactiveJsonWebTokenSignatureValidator.class, SignedJWT.class})
@Requires(property = "linkguard.security.require-at-jwt", notEquals = "false")
@SuppressWarnings({"rawtypes", "unchecked"})
public class AccessTokenTypeCheck implements BeanCreatedEventListener<ReactiveJsonWebTokenSignatureValidator> {

    @Override
    public ReactiveJsonWebTokenSignatureValidator onCreated(BeanCreatedEvent<ReactiveJsonWebTokenSignatureValidator> event) {
        return wrap(event.getBean());
    }

    ReactiveJsonWebTokenSignatureValidator<Object> wrap(ReactiveJsonWebTokenSignatureValidator<Object> delegate) {
        return token -> {
            if (token instanceof SignedJWT jwt && !isAccessTokenType(jwt.getHeader().getType())) {
                return Mono.just(Boolean.FALSE);
            }
            return (Publisher<Boolean>) delegate.validateSignature(token);
        };
    }

    /**
     * @param typ the JOSE header's {@code typ}
     * @return whether it names an RFC 9068 access token (media types compare case-insensitively)
     */
    static boolean isAccessTokenType(JOSEObjectType typ) {
        if (typ == null) {
            return false;
        }
        String t = typ.getType().toLowerCase(Locale.ROOT);
        return t.equals("at+jwt") || t.equals("application/at+jwt");
    }
}
