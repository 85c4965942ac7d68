package io.linkguard.gateway.internal;

import io.linkguard.http.security.InternalTokenProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;

/** The gateway's own internal token (client_credentials at auth-server), reused until near expiry. */
@Singleton
public class InternalTokens implements InternalTokenProvider {

    static final String CLIENT_ID = "linkguard-api-gateway";

    private final HttpClient http;
    private final String secret;
    private volatile String token;
    private volatile Instant renewAfter = Instant.EPOCH;

    InternalTokens(@Client("${linkguard.auth-url}") HttpClient http, @Value("${linkguard.internal-client-secret:}") String secret) {
        this.http = http;
        this.secret = secret;
    }

    /** @return a valid internal bearer token */
    public synchronized String get() {
        if (token == null || Instant.now().isAfter(renewAfter)) {
            TokenResponse r = http.toBlocking().retrieve(HttpRequest.POST("/oauth/token",
                            Map.of("grant_type", "client_credentials", "scope", "internal"))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE).basicAuth(CLIENT_ID, secret), TokenResponse.class);
            token = r.access_token();
            renewAfter = Instant.now().plusSeconds(Math.max(5, (long) (r.expires_in() * 0.8)));
        }
        return token;
    }

    /** Forget the token (after a 401). */
    @Override
    public synchronized void invalidate() {
        token = null;
    }

    /** For the shared revocation list, which polls auth-server with this service's internal token. */
    @Override
    public String internalToken() {
        return get();
    }

    @Serdeable
    record TokenResponse(String access_token, long expires_in) {
    }
}
