package io.linkguard.auth.connect;

import io.linkguard.auth.provider.ClientAuthStyle;
import io.linkguard.auth.provider.ProviderDefinition;
import io.linkguard.auth.provider.TokenBodyFormat;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The authorization code exchange at a provider's token endpoint (RFC 6749 §4.1.3, RFC 7636
 * §4.5), with the provider's client authentication style. java.net.http rather than a Micronaut
 * client because every provider is a different absolute URL and some answer form-encoded.
 */
@Singleton
class ProviderTokenExchange {

    private final HttpClient http;
    private final JsonMapper json;
    private final ConnectConfiguration config;

    ProviderTokenExchange(JsonMapper json, ConnectConfiguration config) {
        this.json = json;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.providerTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What the provider handed out. {@code scopes} is what it says it granted. */
    record ProviderTokens(String accessToken, @Nullable String refreshToken, String tokenType,
                          @Nullable Instant expiresAt, @Nullable List<String> scopes) {
    }

    /** The provider refused or could not be reached; {@code errorCode} is safe to show. */
    static final class ExchangeFailedException extends Exception {
        final String errorCode;

        ExchangeFailedException(String errorCode) {
            super(errorCode, null, false, false);
            this.errorCode = errorCode;
        }
    }

    /**
     * @param tokenUrl the provider's token URL with this connection's placeholders filled in
     */
    ProviderTokens exchange(ProviderDefinition provider, String tokenUrl, ProviderClient client, String code,
                            String redirectUri, @Nullable String codeVerifier) throws ExchangeFailedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            form.put("code_verifier", codeVerifier);
        }
        boolean jsonBody = provider.tokenBody() == TokenBodyFormat.JSON;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(config.providerTimeout())
                .header("Content-Type", jsonBody ? "application/json" : "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (provider.clientAuth() == ClientAuthStyle.BASIC) {
            String credentials = encode(client.clientId()) + ":" + encode(client.clientSecret());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", client.clientId());
            form.put("client_secret", client.clientSecret());
        }
        HttpResponse<String> response;
        try {
            String body = jsonBody ? json.writeValueAsString(form) : formBody(form);
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ExchangeFailedException("provider_unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeFailedException("provider_unreachable");
        }
        Map<String, Object> body = parse(response);
        // A 200 can still be a refusal: GitHub puts {"error":…} in a 200, Slack {"ok":false,"error":…}.
        Object error = body.get("error");
        if (error == null && Boolean.FALSE.equals(body.get("ok"))) {
            error = "token_request_failed";
        }
        if (response.statusCode() / 100 != 2 || error != null) {
            throw new ExchangeFailedException(error instanceof String s && s.matches("[a-z_]{1,64}") ? s : "token_request_failed");
        }
        Object accessToken = body.get("access_token");
        if (!(accessToken instanceof String at) || at.isBlank()) {
            throw new ExchangeFailedException("invalid_token_response");
        }
        Object refresh = body.get("refresh_token");
        Object type = body.get("token_type");
        Instant expiresAt = null;
        Object expiresIn = body.get("expires_in");
        if (expiresIn instanceof Number n) {
            expiresAt = Instant.now().plusSeconds(n.longValue());
        } else if (expiresIn instanceof String s && s.matches("\\d{1,10}")) {
            expiresAt = Instant.now().plusSeconds(Long.parseLong(s));
        }
        Object scope = body.get("scope");
        List<String> scopes = scope instanceof String s
                ? Arrays.stream(s.trim().split("[\\s,]+")).filter(x -> !x.isEmpty()).toList()
                : null;
        return new ProviderTokens(at, refresh instanceof String r && !r.isBlank() ? r : null,
                type instanceof String t && !t.isBlank() ? t : "Bearer", expiresAt, scopes);
    }

    private Map<String, Object> parse(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String text = response.body() == null ? "" : response.body();
        if (contentType.contains("application/x-www-form-urlencoded")) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
        try {
            Map<String, Object> out = json.readValue(text, Argument.mapOf(String.class, Object.class));
            return out == null ? Map.of() : out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String formBody(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(encode(k) + "=" + encode(v)));
        return j.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
