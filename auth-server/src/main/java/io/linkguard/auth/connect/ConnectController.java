package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The browser side of the connect flow. Public on purpose: the one-time connect token, and then
 * the one-time state, are the credentials; the browser carries no Linkguard token here.
 *
 * <p>Opening a connect link only shows whose connection it will be (Linkguard account, org,
 * provider) with a Continue button; the POST behind that button uses the token up and goes to the
 * provider. So a link-preview bot cannot burn the link, and nobody can get someone else's
 * provider account attached to their own Linkguard account by sending them a link that goes
 * straight to the provider: the page names the account, and the POST needs a CSRF token from
 * that page (double submit: a SameSite=Strict cookie, and a form field bound to both that cookie
 * and this connect token).
 */
@Controller("/connect")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ConnectController {

    static final String CSRF_COOKIE = "lg_connect_csrf";

    private final ConnectService connect;
    private final ConnectConfiguration config;

    ConnectController(ConnectService connect, ConnectConfiguration config) {
        this.connect = connect;
        this.config = config;
    }

    @Get("/callback")
    HttpResponse<String> callback(@QueryValue @Nullable String state,
                                  @QueryValue @Nullable String code,
                                  @QueryValue @Nullable String error) {
        try {
            return redirect(HttpStatus.FOUND, connect.callback(state, code, error));
        } catch (ConnectPageException e) {
            return ConnectPage.error(e);
        }
    }

    @Get("/{connectToken}")
    HttpResponse<String> confirm(@PathVariable String connectToken) {
        ConnectService.Preview p;
        try {
            p = connect.preview(connectToken);
        } catch (ConnectPageException e) {
            return ConnectPage.error(e);
        }
        String cookie = Secrets.random();
        String provider = ConnectPage.esc(p.providerName());
        String body = "<h1>Connect " + provider + "</h1>"
                + "<p>This connection will belong to:</p><dl>"
                + "<dt>Linkguard account</dt><dd id=\"account\">" + ConnectPage.esc(p.email()) + "</dd>"
                + "<dt>Organization</dt><dd id=\"org\">" + ConnectPage.esc(p.orgName()) + "</dd>"
                + "<dt>Connection</dt><dd>" + ConnectPage.esc(p.displayName()) + " (" + provider + ")</dd></dl>"
                + "<p>If this is not your account, close this page.</p>"
                + "<form method=\"post\" action=\"/connect/" + ConnectPage.esc(connectToken) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + ConnectPage.esc(csrfField(cookie, connectToken)) + "\">"
                + "<button type=\"submit\">Continue to " + provider + "</button></form>";
        Cookie c = Cookie.of(CSRF_COOKIE, cookie).httpOnly(true).sameSite(SameSite.Strict).path("/connect")
                .maxAge(config.tokenTtl()).secure(config.secureCookies());
        return ConnectPage.form("Connect " + p.providerName(), body).cookie(c);
    }

    @Post(value = "/{connectToken}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> start(HttpRequest<?> request, @PathVariable String connectToken,
                               @Nullable @Body Map<String, String> form) {
        String cookie = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        String field = form == null ? null : form.get("csrf");
        if (cookie == null || field == null || !MessageDigest.isEqual(field.getBytes(StandardCharsets.UTF_8),
                csrfField(cookie, connectToken).getBytes(StandardCharsets.UTF_8))) {
            return ConnectPage.error(new ConnectPageException(403, "This page expired",
                    "Open the connect link again and press Continue on that page."));
        }
        try {
            // 303: the browser follows with a GET, whatever the POST was
            return redirect(HttpStatus.SEE_OTHER, connect.start(connectToken));
        } catch (ConnectPageException e) {
            return ConnectPage.error(e);
        }
    }

    /** The form's CSRF value: bound to the cookie and to this one connect token. */
    private static String csrfField(String cookie, String connectToken) {
        return Secrets.sha256(cookie + ":" + Secrets.sha256(connectToken));
    }

    private static MutableHttpResponse<String> redirect(HttpStatus status, URI location) {
        // no-referrer: the connect token is in this page's URL and must not reach the provider.
        // Never Micronaut's default 301: a permanent redirect would be cached by the browser.
        return HttpResponse.<String>status(status)
                .header("Location", location.toString())
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer");
    }
}
