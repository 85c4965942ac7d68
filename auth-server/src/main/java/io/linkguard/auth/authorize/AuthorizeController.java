package io.linkguard.auth.authorize;

import io.linkguard.auth.account.AccountService;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.account.LoginResult;
import io.linkguard.auth.account.LoginThrottleConfiguration;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.auth.client.ClientRepository;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.config.IssuerConfiguration;
import io.linkguard.http.config.PublicUrl;
import io.linkguard.auth.token.TokenStore;
import io.linkguard.http.net.ClientAddressResolver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /oauth/authorize}: validates the request ({@link AuthorizationRequestValidator}), shows the
 * sign-in form, asks third-party clients' users for consent, and redirects back with {@code code},
 * {@code state} and {@code iss} (RFC 9207). The forms are protected by {@link CsrfProtection}, the
 * pages rendered by {@link AuthorizePages}, pending consents kept by {@link AuthorizationRequestRepository}.
 */
@Controller("/oauth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthorizeController {

    static final String DEVICE_COOKIE = "lg_device";
    static final Duration CODE_TTL = Duration.ofSeconds(60);
    static final Duration CONSENT_TTL = Duration.ofMinutes(10);

    private final ClientRepository clients;
    private final AccountService accounts;
    private final TokenStore store;
    private final AuthorizationRequestRepository pending;
    private final AuthorizationRequestValidator validator;
    private final AuthorizePages pages;
    private final CsrfProtection csrf;
    private final String issuer;
    private final boolean secureCookies;
    private final ClientAddressResolver addresses;
    private final LoginThrottleConfiguration throttleSettings;

    AuthorizeController(ClientRepository clients, AccountService accounts, TokenStore store,
                        AuthorizationRequestRepository pending, AuthorizationRequestValidator validator,
                        AuthorizePages pages, CsrfProtection csrf, ClientAddressResolver addresses,
                        LoginThrottleConfiguration throttleSettings, IssuerConfiguration identity,
                        PublicUrl site) {
        this.clients = clients;
        this.accounts = accounts;
        this.store = store;
        this.pending = pending;
        this.validator = validator;
        this.pages = pages;
        this.csrf = csrf;
        this.issuer = identity.issuer();
        this.secureCookies = site.secureCookies();
        this.addresses = addresses;
        this.throttleSettings = throttleSettings;
    }

    @Get("/authorize")
    MutableHttpResponse<?> show(HttpRequest<?> request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : request.getParameters().names()) {
            request.getParameters().getFirst(name).ifPresent(v -> params.put(name, v));
        }
        AuthorizationRequest ar = validator.validate(params);
        return signInPage(ar, params, null, HttpStatus.OK);
    }

    @Post(value = "/authorize", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    MutableHttpResponse<?> login(HttpRequest<?> request, @Body Map<String, String> form) {
        AuthorizationRequest ar = validator.validate(form);
        if (!csrf.verify(request, form.get("csrf"))) {
            return signInPage(ar, form, "Your sign-in form expired. Please try again.", HttpStatus.UNAUTHORIZED);
        }
        String device = request.getCookies().findCookie(DEVICE_COOKIE).map(Cookie::getValue).orElse(null);
        LoginResult result = accounts.authenticate(form.getOrDefault("email", ""), form.getOrDefault("password", ""),
                addresses.resolve(request).client(), device);
        if (result instanceof LoginResult.Throttled t) {
            // Said plainly, and the same for unknown accounts: it tells nothing about existence.
            long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
            return signInPage(ar, form, "Too many failed sign-ins. Wait " + seconds + (seconds == 1 ? " second" : " seconds")
                    + " and try again.", HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds));
        }
        if (!(result instanceof LoginResult.Success success)) {
            // One message for both: unknown account or wrong password.
            return signInPage(ar, form, "Sign-in failed. Check your email and password and try again.", HttpStatus.UNAUTHORIZED);
        }
        return afterLogin(ar, success.user()).cookie(deviceCookie(success.deviceToken()));
    }

    private MutableHttpResponse<?> afterLogin(AuthorizationRequest ar, UserAccount user) {
        if (ar.client().needsConsent()) {
            String ticket = Hashes.randomToken();
            pending.save(Hashes.sha256(ticket), ar, user.id(), Instant.now().plus(CONSENT_TTL));
            String token = csrf.newToken();
            return csrf.attach(pages.consent(ar, ticket, token), token);
        }
        return redirectWithCode(ar, user.id());
    }

    @Post(value = "/consent", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    MutableHttpResponse<?> consent(HttpRequest<?> request, @Body Map<String, String> form) {
        String ticket = form.get("ticket");
        if (ticket == null || !csrf.verify(request, form.get("csrf"))) {
            return pages.expired();
        }
        AuthorizationRequestRepository.PendingConsent consent = pending.consume(Hashes.sha256(ticket));
        if (consent == null) {
            return pages.expired();
        }
        RegisteredClient client = clients.find(consent.clientId());
        AuthorizationRequest ar = new AuthorizationRequest(client, consent.redirectUri(), consent.scope(), consent.state(),
                consent.codeChallenge());
        if (!"approve".equals(form.get("decision"))) {
            return redirectError(ar.redirectUri(), "access_denied", "The user denied the request.", ar.state());
        }
        return redirectWithCode(ar, consent.userId());
    }

    @Error(exception = AuthorizeError.class)
    MutableHttpResponse<?> onError(AuthorizeError e) {
        if (e.redirectUri != null) {
            return redirectError(e.redirectUri, e.code, e.description, e.state);
        }
        return pages.invalidLink(e.description);
    }

    private MutableHttpResponse<?> signInPage(AuthorizationRequest ar, Map<String, String> params, @Nullable String error,
                                              HttpStatus status) {
        String token = csrf.newToken();
        return csrf.attach(pages.signIn(ar, params, error, status, token), token);
    }

    private MutableHttpResponse<?> redirectWithCode(AuthorizationRequest ar, UUID userId) {
        String code = Hashes.randomToken();
        store.insertCode(Hashes.sha256(code), ar.client().clientId(), userId, ar.redirectUri(), ar.scope(), ar.codeChallenge(),
                Instant.now().plus(CODE_TTL));
        UriBuilder b = UriBuilder.of(ar.redirectUri()).queryParam("code", code);
        if (ar.state() != null) {
            b.queryParam("state", ar.state());
        }
        b.queryParam("iss", issuer);
        return HttpResponse.status(HttpStatus.FOUND).headers(h -> h.location(b.build()).add("Cache-Control", "no-store"));
    }

    private MutableHttpResponse<?> redirectError(String redirectUri, String code, String description, @Nullable String state) {
        UriBuilder b = UriBuilder.of(redirectUri).queryParam("error", code).queryParam("error_description", description);
        if (state != null) {
            b.queryParam("state", state);
        }
        b.queryParam("iss", issuer);
        URI location = b.build();
        return HttpResponse.status(HttpStatus.FOUND).headers(h -> h.location(location).add("Cache-Control", "no-store"));
    }

    /**
     * The known-device cookie: HttpOnly, Lax (it must come along when the login form is reached by
     * a redirect from another site), Secure on https, scoped to the sign-in form.
     */
    private Cookie deviceCookie(String token) {
        return Cookie.of(DEVICE_COOKIE, token).httpOnly(true).sameSite(SameSite.Lax).path("/oauth")
                .maxAge(throttleSettings.deviceLifetime()).secure(secureCookies);
    }
}
