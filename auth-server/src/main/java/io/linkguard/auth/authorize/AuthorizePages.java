package io.linkguard.auth.authorize;

import io.linkguard.auth.token.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** The pages of the authorization flow, rendered on the server: sign-in, consent, expired, refused. */
@Singleton
class AuthorizePages {

    /** The request parameters the sign-in form carries from the first GET to its POST. */
    private static final String[] KEPT = {"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
            "code_challenge_method"};

    /**
     * @param ar     the validated request
     * @param params the request's parameters (and, after a failed attempt, the form's email)
     * @param error  what went wrong with the last attempt, or null
     * @param csrf   the form's CSRF token
     */
    MutableHttpResponse<String> signIn(AuthorizationRequest ar, Map<String, String> params, @Nullable String error,
                                       HttpStatus status, String csrf) {
        Map<String, String> keep = new LinkedHashMap<>();
        for (String k : KEPT) {
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
        return Html.page(status, "Sign in", body);
    }

    MutableHttpResponse<String> consent(AuthorizationRequest ar, String ticket, String csrf) {
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
        return Html.page(HttpStatus.OK, "Allow access", body);
    }

    /** A consent form that is expired, already used or forged. */
    MutableHttpResponse<String> expired() {
        return Html.page(HttpStatus.BAD_REQUEST, "Request expired",
                "<h1>This request expired</h1><p>Go back to the application and start again.</p>");
    }

    /** A request refused before its redirect URI is known: shown, never redirected. */
    MutableHttpResponse<String> invalidLink(String description) {
        return Html.page(HttpStatus.BAD_REQUEST, "Cannot sign in",
                "<h1>This sign-in link is not valid</h1><p>" + Html.esc(description)
                        + "</p><p>Go back to the application and try again.</p>");
    }
}
