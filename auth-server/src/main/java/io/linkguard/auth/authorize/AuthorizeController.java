package io.linkguard.auth.authorize;

import io.linkguard.auth.account.AccountService;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.account.LoginResult;
import io.linkguard.auth.account.LoginThrottleConfiguration;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.auth.client.ClientRepository;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.sql.Sql;
import io.linkguard.auth.token.Scopes;
import io.linkguard.auth.token.TokenStore;
import io.linkguard.http.net.ClientAddressResolver;
import io.micronaut.context.annotation.Value;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /oauth/authorize}: validates the request (client, exact redirect URI, PKCE S256,
 * scope), shows the sign-in form, asks third-party clients' users for consent, and redirects
 * back with {@code code}, {@code state} and {@code iss} (RFC 9207).
 *
 * CSRF: the form carries a random token that must equal the {@code lg_csrf} cookie set with
 * the page (double submit; the cookie is HttpOnly and SameSite=Strict).
 */
@Controller("/oauth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthorizeController {

    static final String CSRF_COOKIE = "lg_csrf";
    static final String DEVICE_COOKIE = "lg_device";
    static final Duration CODE_TTL = Duration.ofSeconds(60);
    static final Duration CONSENT_TTL = Duration.ofMinutes(10);

    private final ClientRepository clients;
    private final AccountService accounts;
    private final TokenStore store;
    private final Sql sql;
    private final String issuer;
    private final boolean secureCookies;
    private final ClientAddressResolver addresses;
    private final LoginThrottleConfiguration throttleSettings;

    AuthorizeController(ClientRepository clients, AccountService accounts, TokenStore store, Sql sql,
                        ClientAddressResolver addresses, LoginThrottleConfiguration throttleSettings,
                        @Value("${linkguard.security.issuer}") String issuer,
                        @Value("${linkguard.public-url}") String publicUrl) {
        this.clients = clients;
        this.accounts = accounts;
        this.store = store;
        this.sql = sql;
        this.issuer = issuer;
        this.secureCookies = publicUrl.startsWith("https://");
        this.addresses = addresses;
        this.throttleSettings = throttleSettings;
    }

    @Get("/authorize")
    MutableHttpResponse<?> show(HttpRequest<?> request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : request.getParameters().names()) {
            request.getParameters().getFirst(name).ifPresent(v -> params.put(name, v));
        }
        AuthorizationRequest ar = validate(params);
        return loginPage(ar, params, null, HttpStatus.OK);
    }

    @Post(value = "/authorize", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    MutableHttpResponse<?> login(HttpRequest<?> request, @Body Map<String, String> form) {
        AuthorizationRequest ar = validate(form);
        if (!csrfOk(request, form.get("csrf"))) {
            return loginPage(ar, form, "Your sign-in form expired. Please try again.", HttpStatus.UNAUTHORIZED);
        }
        String device = request.getCookies().findCookie(DEVICE_COOKIE).map(Cookie::getValue).orElse(null);
        LoginResult result = accounts.authenticate(form.getOrDefault("email", ""), form.getOrDefault("password", ""),
                addresses.resolve(request).client(), device);
        if (result instanceof LoginResult.Throttled t) {
            // Said plainly, and the same for unknown accounts: it tells nothing about existence.
            long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
            return loginPage(ar, form, "Too many failed sign-ins. Wait " + seconds + (seconds == 1 ? " second" : " seconds")
                    + " and try again.", HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds));
        }
        if (!(result instanceof LoginResult.Success success)) {
            // One message for both: unknown account or wrong password.
            return loginPage(ar, form, "Sign-in failed. Check your email and password and try again.", HttpStatus.UNAUTHORIZED);
        }
        return afterLogin(ar, success.user()).cookie(deviceCookie(success.deviceToken()));
    }

    private MutableHttpResponse<?> afterLogin(AuthorizationRequest ar, UserAccount user) {
        if (ar.client().needsConsent()) {
            String ticket = Hashes.randomToken();
            sql.updateOne("insert authorization request", """
                    INSERT INTO authorization_requests (ticket_hash, client_id, user_id, redirect_uri, scope, state, code_challenge, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", Hashes.sha256(ticket), ar.client().clientId(), user.id(), ar.redirectUri(),
                    ar.scope(), ar.state(), ar.codeChallenge(), Instant.now().plus(CONSENT_TTL));
            return consentPage(ar, ticket);
        }
        return redirectWithCode(ar, user.id());
    }

    @Post(value = "/consent", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    MutableHttpResponse<?> consent(HttpRequest<?> request, @Body Map<String, String> form) {
        String ticket = form.get("ticket");
        if (ticket == null || !csrfOk(request, form.get("csrf"))) {
            return Html.page(HttpStatus.BAD_REQUEST, "Request expired",
                    "<h1>This request expired</h1><p>Go back to the application and start again.</p>");
        }
        // one-time: a consent ticket is consumed by one statement
        Object[] row = sql.one("""
                UPDATE authorization_requests SET used = true WHERE ticket_hash = ? AND used = false AND expires_at > now()
                RETURNING client_id, user_id, redirect_uri, scope, state, code_challenge""",
                rs -> new Object[] {rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)}, Hashes.sha256(ticket));
        if (row == null) {
            return Html.page(HttpStatus.BAD_REQUEST, "Request expired",
                    "<h1>This request expired</h1><p>Go back to the application and start again.</p>");
        }
        RegisteredClient client = clients.find((String) row[0]);
        AuthorizationRequest ar = new AuthorizationRequest(client, (String) row[2], (String) row[3], (String) row[4], (String) row[5]);
        if (!"approve".equals(form.get("decision"))) {
            return redirectError(ar.redirectUri(), "access_denied", "The user denied the request.", ar.state());
        }
        return redirectWithCode(ar, (UUID) row[1]);
    }

    @Error(exception = AuthorizeError.class)
    MutableHttpResponse<?> onError(AuthorizeError e) {
        if (e.redirectUri != null) {
            return redirectError(e.redirectUri, e.code, e.description, e.state);
        }
        return Html.page(HttpStatus.BAD_REQUEST, "Cannot sign in",
                "<h1>This sign-in link is not valid</h1><p>" + Html.esc(e.description)
                        + "</p><p>Go back to the application and try again.</p>");
    }

    private AuthorizationRequest validate(Map<String, String> p) {
        String clientId = p.get("client_id");
        RegisteredClient client = clientId == null ? null : clients.find(clientId);
        if (client == null || client.redirectUris().isEmpty()) {
            throw new AuthorizeError("invalid_request", "Unknown application.", null, null);
        }
        String redirectUri = p.get("redirect_uri");
        // Exact string match only (OAuth 2.1 §2.3.1): no prefix, no wildcard, no normalisation.
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw new AuthorizeError("invalid_request", "The redirect address is not registered for this application.", null, null);
        }
        String state = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            throw new AuthorizeError("unsupported_response_type", "Only response_type=code is supported.", redirectUri, state);
        }
        String challenge = p.get("code_challenge");
        if (challenge == null || challenge.isBlank()) {
            throw new AuthorizeError("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.",
                    redirectUri, state);
        }
        if (!"S256".equals(p.get("code_challenge_method"))) {
            throw new AuthorizeError("invalid_request", "Only code_challenge_method=S256 is accepted.", redirectUri, state);
        }
        if (!challenge.matches("^[A-Za-z0-9_-]{43}$")) {
            throw new AuthorizeError("invalid_request", "code_challenge must be a base64url SHA-256 hash.", redirectUri, state);
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw new AuthorizeError("unauthorized_client", "This application may not use the authorization code flow.",
                    redirectUri, state);
        }
        String scope;
        try {
            scope = Scopes.narrow(p.get("scope"), client.scopes());
        } catch (RuntimeException e) {
            throw new AuthorizeError("invalid_scope", "The requested scope is not allowed for this application.", redirectUri, state);
        }
        // Belt and braces: even a client row that lists a first-party-only scope (registered before
        // the rule, or edited by hand) gets it only when it is first-party.
        if (!"first_party".equals(client.kind())
                && Scopes.parse(scope).stream().anyMatch(ClientRepository.FIRST_PARTY_ONLY_SCOPES::contains)) {
            throw new AuthorizeError("invalid_scope", "The requested scope is not allowed for this application.", redirectUri, state);
        }
        return new AuthorizationRequest(client, redirectUri, scope, state, challenge);
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

    private MutableHttpResponse<?> loginPage(AuthorizationRequest ar, Map<String, String> params, @Nullable String error,
                                             HttpStatus status) {
        String csrf = Hashes.randomToken();
        Map<String, String> keep = new LinkedHashMap<>();
        for (String k : new String[] {"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                "code_challenge_method"}) {
            keep.put(k, params.get(k));
        }
        keep.put("csrf", csrf);
        String email = params.getOrDefault("email", "");
        String body = "<h1>Sign in to " + Html.esc(ar.client().name()) + "</h1>"
                + (error == null ? "" : "<p class=\"error\" role=\"alert\">" + Html.esc(error) + "</p>")
                + "<form method=\"post\" action=\"/oauth/authorize\">" + Html.hidden(keep)
                + "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\""
                + Html.esc(email) + "\">"
                + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\">Sign in</button></form>";
        return withCsrf(Html.page(status, "Sign in", body), csrf);
    }

    private MutableHttpResponse<?> consentPage(AuthorizationRequest ar, String ticket) {
        String csrf = Hashes.randomToken();
        StringBuilder scopes = new StringBuilder("<ul>");
        for (String s : Scopes.parse(ar.scope())) {
            scopes.append("<li>").append(Html.esc(ScopeDescriptions.of(s))).append(" <code>").append(Html.esc(s))
                    .append("</code></li>");
        }
        scopes.append("</ul>");
        String body = "<h1>Allow " + Html.esc(ar.client().name()) + "?</h1><p>It will be able to:</p>" + scopes
                + "<form method=\"post\" action=\"/oauth/consent\">" + Html.hidden(Map.of("ticket", ticket, "csrf", csrf))
                + "<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>";
        return withCsrf(Html.page(HttpStatus.OK, "Allow access", body), csrf);
    }

    private MutableHttpResponse<?> withCsrf(MutableHttpResponse<String> page, String csrf) {
        Cookie cookie = Cookie.of(CSRF_COOKIE, csrf).httpOnly(true).sameSite(SameSite.Strict).path("/oauth")
                .maxAge(Duration.ofMinutes(30)).secure(secureCookies);
        return page.cookie(cookie);
    }

    /**
     * The known-device cookie: HttpOnly, Lax (it must come along when the login form is reached by
     * a redirect from another site), Secure on https, scoped to the sign-in form.
     */
    private Cookie deviceCookie(String token) {
        return Cookie.of(DEVICE_COOKIE, token).httpOnly(true).sameSite(SameSite.Lax).path("/oauth")
                .maxAge(throttleSettings.deviceLifetime()).secure(secureCookies);
    }

    private static boolean csrfOk(HttpRequest<?> request, @Nullable String formToken) {
        String cookie = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        return formToken != null && cookie != null
                && MessageDigest.isEqual(formToken.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
    }
}
