package io.linkguard.gateway.dashboard;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The dashboard is a single page (public/app/): {@code /} sends the browser there, and the
 * app's own paths (sign-in callback, the admin view, reconnect links from the status API) serve its index.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class DashboardController {

    private final byte[] index;

    DashboardController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream("classpath:public/app/index.html")
                .orElseThrow(() -> new IllegalStateException("public/app/index.html is missing"))) {
            this.index = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get
    HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/app/"));
    }

    @Get("/app/")
    HttpResponse<byte[]> app() {
        return page();
    }

    @Get("/app/callback")
    HttpResponse<byte[]> callback() {
        return page();
    }

    /** The admin's view: the same page, which shows it to owners and admins. */
    @Get("/app/admin")
    HttpResponse<byte[]> admin() {
        return page();
    }

    @Get("/reconnect/{connector}")
    HttpResponse<byte[]> reconnect(@PathVariable String connector) {
        return page();
    }

    private HttpResponse<byte[]> page() {
        // CSP, X-Frame-Options, Referrer-Policy and nosniff come from shared-http's SecurityHeadersFilter,
        // which covers the static files (/app/index.html, app.js, …) the same way
        return HttpResponse.ok(index).contentType(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-cache");
    }
}
