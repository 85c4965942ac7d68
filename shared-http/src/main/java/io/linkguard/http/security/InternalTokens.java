package io.linkguard.http.security;

import io.linkguard.http.config.InternalClientSettings;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;

/**
 * This service's own access token for internal calls: client_credentials at auth-server as
 * {@code linkguard-<application name>} with {@code LINKGUARD_INTERNAL_CLIENT_SECRET}, scope
 * {@code internal}, reused until 80 % of its lifetime has passed (so it never expires mid-call).
 * Every service but auth-server (which signs its own, and has no {@code linkguard.auth-url}) uses it.
 */
@Singleton
@Requires(property = "linkguard.auth-url")
public class InternalTokens implements InternalTokenProvider {

    private final HttpClient http;
    private final String clientId;
    private final String secret;
    private volatile String token;
    private volatile Instant renewAfter = Instant.EPOCH;

    InternalTokens(@Client("${linkguard.auth-url}") HttpClient http, ApplicationConfiguration application,
                   InternalClientSettings settings) {
        this.http = http;
        this.clientId = "linkguard-" + application.getName().orElseThrow(() ->
                new IllegalStateException("micronaut.application.name must be set: it names the internal client"));
        this.secret = settings.secret();
    }

    /** @return a valid internal bearer token */
    public synchronized String get() {
        if (token == null || Instant.now().isAfter(renewAfter)) {
            TokenResponse r = http.toBlocking().retrieve(HttpRequest.POST("/oauth/token",
                            Map.of("grant_type", "client_credentials", "scope", "internal"))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE).basicAuth(clientId, secret), TokenResponse.class);
            token = r.access_token();
            renewAfter = Instant.now().plusSeconds(Math.max(5, (long) (r.expires_in() * 0.8)));
        }
        return token;
    }

    /** Forget the cached token (after a 401). */
    @Override
    public synchronized void invalidate() {
        token = null;
    }

    @Override
    public String internalToken() {
        return get();
    }

    @Serdeable
    record TokenResponse(String access_token, long expires_in) {
    }
}
