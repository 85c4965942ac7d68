package io.linkguard.auth.authorize;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.Map;

/** The few server-rendered pages of the authorization flow: login, consent, error. */
final class Html {

    private Html() {
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

    static String hidden(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"").append(esc(v)).append("\">\n");
            }
        });
        return b.toString();
    }

    static MutableHttpResponse<String> page(HttpStatus status, String title, String body) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s — Linkguard</title>
                <style>
                body{font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f6f8fa;margin:0}
                main{max-width:380px;margin:8vh auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem 2rem}
                h1{font-size:1.3rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
                input[type=email],input[type=password]{width:100%%;padding:.5rem;font:inherit;border:1px solid #8c959f;border-radius:6px;box-sizing:border-box}
                button{margin-top:1.25rem;padding:.55rem 1rem;font:inherit;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
                button.secondary{background:#fff;color:#1b1f24;border-color:#8c959f;margin-left:.5rem}
                .error{background:#ffe3e3;color:#7a0d12;border:1px solid #cf222e;border-radius:6px;padding:.5rem .75rem}
                button:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}
                </style></head>
                <body><main>%s</main></body></html>
                """.formatted(esc(title), body);
        return HttpResponse.<String>status(status).body(html).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with
                // the login form's POST, and the CORS filter (gateway and service) refuses that with a
                // 403. Other origins still get no referrer at all.
                .header("Referrer-Policy", "same-origin");
    }
}
