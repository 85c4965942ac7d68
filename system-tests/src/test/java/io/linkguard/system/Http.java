package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** A small HTTP client for the system tests: what a worker or a browser's fetch would send. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /**
         * The body as JSON with every occurrence of {@code id} replaced by {@code {id}}: two answers
         * about different ids (an other org's user, a random uuid) compare equal when nothing but the
         * id differs, so existence does not leak through the body.
         */
        JsonNode shape(String id) {
            try {
                return JSON.readTree(body.replace(id, "{id}"));
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
            }
        }
    }

    static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Response get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    static Response postJson(String url, String bearer, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    /** A POST without a body (e.g. {@code /api/connections/{id}/access-token}). */
    static Response post(String url, String bearer) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()), bearer));
    }

    static Response putJson(String url, String bearer, Object body) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body))), bearer));
    }

    static Response delete(String url, String bearer) {
        return send(withBearer(HttpRequest.newBuilder(URI.create(url)).DELETE(), bearer));
    }

    private static HttpRequest.Builder withBearer(HttpRequest.Builder b, String bearer) {
        return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
    }

    /** The decoded query parameters of a URL (the last value wins). */
    static Map<String, String> query(String url) {
        return io.linkguard.launcher.DashboardLogin.query(URI.create(url).getRawQuery());
    }

    static Response postForm(String url, Map<String, String> form, String basicUser, String basicPassword) {
        String encoded = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded));
        if (basicUser != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (enc(basicUser) + ":" + enc(basicPassword)).getBytes(StandardCharsets.UTF_8)));
        }
        return send(b);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
