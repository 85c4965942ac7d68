package io.linkguard.system;

import java.util.Map;

/**
 * The connect flow the way a browser walks it, one hop at a time (the client never follows a
 * redirect by itself): the connect link, the provider's authorize URL (the mock approves at
 * once), and the provider's redirect back to {@code /connect/callback}. No Linkguard token is sent:
 * the one-time connect token and then the one-time state are the credentials.
 */
final class ConnectFlow {

    /**
     * The answers of the three hops; a hop is null when the one before did not redirect.
     *
     * @param start    {@code GET /connect/{token}}
     * @param provider {@code GET} of the provider's authorize URL
     * @param callback {@code GET /connect/callback?…} as the provider sent the browser back
     */
    record Hops(Http.Response start, Http.Response provider, Http.Response callback) {

        /** The URL the provider sent the browser back to (what a replay would send again). */
        String callbackUrl() {
            return provider.header("Location");
        }
    }

    private ConnectFlow() {
    }

    static Hops follow(String connectUrl) {
        Http.Response start = Http.get(connectUrl, null);
        if (start.status() != 302) {
            return new Hops(start, null, null);
        }
        Http.Response provider = Http.get(start.header("Location"), null);
        if (provider.status() != 302) {
            return new Hops(start, provider, null);
        }
        return new Hops(start, provider, Http.get(provider.header("Location"), null));
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
