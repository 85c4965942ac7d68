package io.linkguard.mock;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The few HTTP chores the handlers share: form/query parsing, JSON and HTML answers. */
final class Http {

    /** Thrown to make the JDK server close the connection without writing an answer. */
    static final class DropConnection extends IOException {
        DropConnection() {
            super("connection dropped on purpose", null);
        }
    }

    private Http() {
    }

    static Map<String, String> parseForm(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            // RFC 6749 §3.1: parameters must not repeat; keep the first and let the caller decide.
            out.putIfAbsent(name, value);
        }
        return out;
    }

    static Map<String, String> query(HttpExchange ex) {
        return parseForm(ex.getRequestURI().getRawQuery());
    }

    static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, Object> readJson(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String appendQuery(String uri, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(uri);
        char sep = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    static void json(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8));
    }

    static void oauthError(HttpExchange ex, OAuthError error) throws IOException {
        if (error == OAuthError.INVALID_CLIENT) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mock-provider\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code);
        body.put("error_description", error.description);
        json(ex, error.status, body);
    }

    static void html(HttpExchange ex, int status, String title, String bodyHtml) throws IOException {
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1>" + bodyHtml + "</body></html>";
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, page.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, 302, new byte[0]);
    }

    static void empty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
