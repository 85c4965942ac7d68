package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;

/**
 * The browser side of the connect flow. Public on purpose: the one-time connect token, and then
 * the one-time state, are the credentials; the browser carries no Linkguard token here.
 */
@Controller("/connect")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ConnectController {

    private final ConnectService connect;

    ConnectController(ConnectService connect) {
        this.connect = connect;
    }

    @Get("/callback")
    HttpResponse<String> callback(@QueryValue @Nullable String state,
                                  @QueryValue @Nullable String code,
                                  @QueryValue @Nullable String error) {
        try {
            return redirect(connect.callback(state, code, error));
        } catch (ConnectPageException e) {
            return page(e);
        }
    }

    @Get("/{connectToken}")
    HttpResponse<String> start(@PathVariable String connectToken) {
        try {
            return redirect(connect.start(connectToken));
        } catch (ConnectPageException e) {
            return page(e);
        }
    }

    private static MutableHttpResponse<String> redirect(URI location) {
        // no-referrer: the connect token is in this page's URL and must not reach the provider.
        // 302, not Micronaut's default 301: a permanent redirect would be cached by the browser.
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.FOUND)
                .header("Location", location.toString())
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer");
    }

    private static MutableHttpResponse<String> page(ConnectPageException e) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s · Linkguard</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
                <h1 style="font-size:1.4rem">%1$s</h1><p>%2$s</p><p><a href="/app/">Back to the dashboard</a></p>
                </body></html>
                """.formatted(escape(e.title), escape(e.body));
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(e.status))
                .contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
