package io.linkguard.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connect flow the way a browser walks it, one hop at a time (the client never follows a
 * redirect by itself): the connect link's confirmation page, its Continue button (a POST with the
 * page's CSRF cookie and field), the provider's authorize URL (the mock approves at once), and the
 * provider's redirect back to {@code /connect/callback}. No Linkguard token is sent:
 * the one-time connect token and then the one-time state are the credentials.
 */
final class ConnectFlow {

    /**
     * The answers of the hops; a hop is null when the one before did not lead on.
     *
     * @param page     {@code GET /connect/{token}}: the confirmation page
     * @param start    {@code POST /connect/{token}} (Continue): the redirect to the provider
     * @param provider {@code GET} of the provider's authorize URL
     * @param callback {@code GET /connect/callback?…} as the provider sent the browser back
     */
    record Hops(Http.Response page, Http.Response start, Http.Response provider, Http.Response callback) {

        /** The URL the provider sent the browser back to (what a replay would send again). */
        String callbackUrl() {
            return provider.header("Location");
        }
    }

    private ConnectFlow() {
    }

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");

    static Hops follow(String connectUrl) {
        Http.Response page = Http.get(connectUrl, null);
        if (page.status() != 200) {
            return new Hops(page, null, null, null);
        }
        Http.Response start = pressContinue(connectUrl, page);
        if (start.status() != 303) {
            return new Hops(page, start, null, null);
        }
        Http.Response provider = Http.get(start.header("Location"), null);
        if (provider.status() != 302) {
            return new Hops(page, start, provider, null);
        }
        return new Hops(page, start, provider, Http.get(provider.header("Location"), null));
    }

    /** Submits the confirmation page's form as the browser would: its cookie, its field, same origin. */
    static Http.Response pressContinue(String connectUrl, Http.Response page) {
        Matcher csrf = CSRF.matcher(page.body());
        Matcher action = ACTION.matcher(page.body());
        if (!csrf.find() || !action.find()) {
            throw new IllegalStateException("no Continue form on the connect page: " + page.body());
        }
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lg_connect_csrf="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no CSRF cookie with the connect page"));
        URI base = URI.create(connectUrl);
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        return Http.send(HttpRequest.newBuilder(base.resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie).header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + Http.enc(csrf.group(1)))));
    }

    /**
     * Makes the mock provider answer every authorization with {@code error} (as if the user
     * clicked "Deny") until the returned handle is closed. The switch is global to the one mock of
     * the test JVM, so always use it in try-with-resources.
     */
    static AutoCloseable providerRefuses(RunningSystem sys, String error) {
        String url = sys.url("mock-provider") + "/control/authorize-error";
        Http.Response r = Http.putJson(url, null, Map.of("error", error));
        if (r.status() != 204) {
            throw new IllegalStateException("The mock's authorize-error switch answered " + r.status() + ": " + r.body());
        }
        return () -> {
            Http.Response cleared = Http.delete(url, null);
            if (cleared.status() != 204) {
                throw new IllegalStateException("Clearing the mock's authorize error answered " + cleared.status());
            }
        };
    }
}
