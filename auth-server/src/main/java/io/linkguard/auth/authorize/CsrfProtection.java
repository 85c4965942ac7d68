package io.linkguard.auth.authorize;

import io.linkguard.auth.account.Hashes;
import io.linkguard.http.config.PublicUrl;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * CSRF protection of the sign-in and consent forms: each form carries a random token that must equal
 * the {@code lg_csrf} cookie set with the page (double submit; the cookie is HttpOnly, SameSite=Strict,
 * scoped to {@code /oauth}, Secure on https).
 */
@Singleton
class CsrfProtection {

    static final String COOKIE = "lg_csrf";
    private static final Duration LIFETIME = Duration.ofMinutes(30);

    private final boolean secureCookies;

    CsrfProtection(PublicUrl site) {
        this.secureCookies = site.secureCookies();
    }

    /** @return a fresh token for one form */
    String newToken() {
        return Hashes.randomToken();
    }

    /** @return the page, carrying the cookie that the form's token must match */
    MutableHttpResponse<?> attach(MutableHttpResponse<String> page, String token) {
        return page.cookie(Cookie.of(COOKIE, token).httpOnly(true).sameSite(SameSite.Strict).path("/oauth")
                .maxAge(LIFETIME).secure(secureCookies));
    }

    /** @return whether the form's token equals the request's cookie (compared in constant time) */
    boolean verify(HttpRequest<?> request, @Nullable String formToken) {
        String cookie = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        return formToken != null && cookie != null
                && MessageDigest.isEqual(formToken.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
    }
}
