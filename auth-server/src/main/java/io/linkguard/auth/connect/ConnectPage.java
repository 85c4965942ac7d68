package io.linkguard.auth.connect;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * The connect flow's HTML pages. Everything inserted is HTML-escaped. The page URL carries the
 * one-time connect token, so no referrer leaves it, and it may not be framed (a framing page
 * could trick the user into pressing Continue).
 */
final class ConnectPage {

    private ConnectPage() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The confirmation page, which holds a form. Its referrer policy is same-origin, not
     * no-referrer: under no-referrer a browser sends {@code Origin: null} with the form's POST, and
     * Micronaut's CORS filter (gateway and service) refuses that with a 403. same-origin still
     * sends no referrer to any other site (the provider never sees the URL with the token; the
     * redirect to it also says no-referrer), and our own servers never log the token.
     *
     * @param body already-escaped HTML
     */
    static MutableHttpResponse<String> form(String title, String body) {
        return html(200, title, body, "same-origin");
    }

    /** @param body already-escaped HTML */
    static MutableHttpResponse<String> html(int status, String title, String body, String referrerPolicy) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Linkguard</title>
                <style>
                body{font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f6f8fa;margin:0}
                main{max-width:420px;margin:8vh auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem 2rem}
                h1{font-size:1.3rem;margin:0 0 1rem}dl{margin:1rem 0}dt{font-weight:600}dd{margin:0 0 .5rem}
                button{margin-top:1rem;padding:.55rem 1rem;font:inherit;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
                button:focus-visible,a:focus-visible{outline:3px solid #0969da;outline-offset:2px}
                </style></head>
                <body><main>%s</main></body></html>
                """.formatted(esc(title), body);
        return HttpResponse.<String>status(HttpStatus.valueOf(status)).body(html).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", referrerPolicy);
    }

    static MutableHttpResponse<String> error(ConnectPageException e) {
        return html(e.status, e.title, "<h1>" + esc(e.title) + "</h1><p>" + esc(e.body)
                + "</p><p><a href=\"/app/\">Back to the dashboard</a></p>", "no-referrer");
    }
}
