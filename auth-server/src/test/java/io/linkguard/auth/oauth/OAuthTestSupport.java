package io.linkguard.auth.oauth;

import io.linkguard.testsupport.PostgresTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Shared set-up of the authorization server tests: a fresh database, real HTTP against the
 * embedded server, and a browser-like helper that signs in through the HTML form.
 */
abstract class OAuthTestSupport extends PostgresTestProperties {

    static final String ISSUER = "http://issuer.test";
    static final String DASHBOARD = "linkguard-dashboard";
    static final String REDIRECT = "http://localhost:8080/app/callback";
    static final String INTERNAL_SECRET = "test-internal-client-secret";
    static final String PASSWORD = "correct horse battery";
    static final String REGISTRATION_TOKEN = "test-initial-access-token";

    @Inject
    EmbeddedServer server;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Map<String, String> extraProperties() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Map<String, String> p = new HashMap<>();
        p.put("linkguard.auth.key-encryption-key", Base64.getEncoder().encodeToString(k));
        p.put("linkguard.internal-client-secret", INTERNAL_SECRET);
        p.put("linkguard.security.issuer", ISSUER);
        p.put("linkguard.public-url", "http://localhost:8080");
        p.put("linkguard.auth.dashboard-redirect-uris", REDIRECT);
        p.put("linkguard.auth.registration.initial-access-token", REGISTRATION_TOKEN);
        return p;
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response send(HttpClient client, HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(http, b);
    }

    Response postJson(String path, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(http, b);
    }

    Response postForm(String path, Map<String, String> form, String basicUser, String basicPassword) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (basicUser != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (enc(basicUser) + ":" + enc(basicPassword)).getBytes(StandardCharsets.UTF_8)));
        }
        return send(http, b);
    }

    static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return m;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Signs up a new org; returns {orgId, userId, email}. */
    String[] signup() {
        String email = "owner-" + UUID.randomUUID() + "@example.test";
        Response r = postJson("/api/signup", null,
                "{\"orgName\":\"Acme\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("signup answered " + r.status() + ": " + r.body());
        }
        return new String[] {field(r.body(), "orgId"), field(r.body(), "userId"), email};
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /**
     * Drives the browser part: GET the authorize URL, fill the login form, POST it.
     *
     * @return the final response (a redirect back to the client, or the form again)
     */
    Response browserLogin(URI authorizeUri, String email, String password) {
        return browserLogin(browser(), authorizeUri, email, password);
    }

    /** A browser: its own cookie jar, redirects not followed. */
    static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Response browserLogin(HttpClient browser, URI authorizeUri, String email, String password) {
        Response page = send(browser, HttpRequest.newBuilder(authorizeUri).GET());
        if (page.status() != 200) {
            return page;
        }
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("email", email);
        fields.put("password", password);
        return send(browser, HttpRequest.newBuilder(URI.create(base() + "/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    /** The hidden inputs of an HTML form page (the login form, the consent page). */
    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(html);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">"));
        }
        return fields;
    }

    void sql(String statement, Object... params) {
        try (Connection c = DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
             PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String statement, Object... params) {
        try (Connection c = DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
             PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
