package io.linkguard.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a user in the way the dashboard does — authorization code + PKCE S256 as the
 * public client {@code linkguard-dashboard}, filling in the HTML login form like a browser
 * (cookies, hidden CSRF field) — and returns the token response. Used to seed the demo
 * account and by the system tests.
 */
public final class DashboardLogin {

    /** The dashboard's first-party public client. */
    public static final String CLIENT_ID = "linkguard-dashboard";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private DashboardLogin() {
    }

    /**
     * @param baseUrl     the gateway (or auth-server) base URL the browser talks to
     * @param redirectUri the dashboard's registered redirect URI
     * @param email       login
     * @param password    password
     * @param scope       requested scopes
     * @return the token response (access_token, refresh_token, …)
     * @throws IOException when any step fails
     */
    public static JsonNode login(String baseUrl, String redirectUri, String email, String password, String scope)
            throws IOException {
        return login(baseUrl, redirectUri, email, password, scope, CLIENT_ID, null);
    }

    /**
     * The same flow for any registered client: a third-party client's consent page is approved,
     * and a confidential client authenticates at the token endpoint with {@code client_secret_post}.
     *
     * @param clientSecret the client's secret, null for a public client
     * @return the token response
     * @throws IOException when any step fails
     */
    public static JsonNode login(String baseUrl, String redirectUri, String email, String password, String scope,
                                 String clientId, String clientSecret) throws IOException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = randomToken();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
        String state = randomToken();
        String authorize = baseUrl + "/oauth/authorize?" + form(Map.of(
                "response_type", "code", "client_id", clientId, "redirect_uri", redirectUri,
                "scope", scope, "state", state, "code_challenge", challenge, "code_challenge_method", "S256"));
        HttpResponse<String> page = send(http, HttpRequest.newBuilder(URI.create(authorize)).GET());
        String location = null;
        for (int step = 0; step < 6 && location == null; step++) {
            if (page.statusCode() / 100 == 3) {
                String next = page.headers().firstValue("Location").orElseThrow();
                if (next.startsWith(redirectUri)) {
                    location = next;
                    break;
                }
                page = send(http, HttpRequest.newBuilder(URI.create(page.uri().resolve(next).toString())).GET());
                continue;
            }
            if (page.statusCode() != 200) {
                throw new IOException("Login page answered " + page.statusCode() + ": " + page.body());
            }
            Matcher f = FORM.matcher(page.body());
            if (!f.find()) {
                throw new IOException("No form on the login page (" + page.statusCode() + " " + page.uri() + "): "
                        + page.body().substring(0, Math.min(500, page.body().length())));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher in = INPUT.matcher(f.group(2));
            while (in.find()) {
                Map<String, String> attrs = new LinkedHashMap<>();
                Matcher a = ATTR.matcher(in.group(1));
                while (a.find()) {
                    attrs.put(a.group(1).toLowerCase(), unescape(a.group(2)));
                }
                String name = attrs.get("name");
                if (name == null) {
                    continue;
                }
                String type = attrs.getOrDefault("type", "text");
                if (type.equals("password")) {
                    fields.put(name, password);
                } else if (type.equals("email") || name.equals("email") || name.equals("username")) {
                    fields.put(name, email);
                } else if (!type.equals("submit")) {
                    fields.putIfAbsent(name, attrs.getOrDefault("value", ""));
                }
            }
            if (f.group(2).contains("name=\"decision\"")) {
                fields.put("decision", "approve");   // the consent page: press Allow
            }
            URI action = page.uri().resolve(unescape(f.group(1)));
            page = send(http, HttpRequest.newBuilder(action)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
        }
        if (location == null) {
            throw new IOException("Login did not redirect back to " + redirectUri);
        }
        Map<String, String> params = query(URI.create(location).getRawQuery());
        if (!state.equals(params.get("state")) || params.get("code") == null) {
            throw new IOException("Unexpected authorization response: " + location);
        }
        HttpResponse<String> token = send(http, HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(tokenRequest(params.get("code"), redirectUri, clientId,
                        clientSecret, verifier)))));
        if (token.statusCode() != 200) {
            throw new IOException("Token endpoint answered " + token.statusCode() + ": " + token.body());
        }
        return JSON.readTree(token.body());
    }

    private static Map<String, String> tokenRequest(String code, String redirectUri, String clientId,
                                                    String clientSecret, String verifier) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "client_id", clientId, "code_verifier", verifier));
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        return form;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * @param raw a raw (still encoded) query string, or null
     * @return its decoded parameters in order (the last value of a repeated name wins)
     */
    public static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#x2F;", "/").replace("&#47;", "/");
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
