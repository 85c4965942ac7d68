package io.linkguard.auth.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** token-refresher's internal credential API (ARCHITECTURE.md, "auth → refresher"). */
@Singleton
public class RefresherClient {

    private final HttpClient http;
    private final InternalTokenSource internalTokens;

    RefresherClient(@Client("${linkguard.services.refresher-url}") HttpClient http,
                    InternalTokenSource internalTokens) {
        this.http = http;
        this.internalTokens = internalTokens;
    }

    @Serdeable
    public record Credential(UUID orgId, UUID userId, String connectorKey, String providerKey, String accessToken,
                             @Nullable String refreshToken, String tokenType, @Nullable Instant expiresAt,
                             List<String> scopes, String clientId) {
    }

    /** Stores or replaces the credential of a profile. */
    public void put(UUID authProfileId, Credential credential) throws RefresherUnavailableException {
        try {
            http.toBlocking().exchange(HttpRequest.PUT("/internal/credentials/" + authProfileId, credential)
                    .bearerAuth(internalTokens.internalToken()));
        } catch (HttpClientResponseException e) {
            throw new RefresherUnavailableException("token-refresher answered " + e.getStatus().getCode());
        } catch (HttpClientException e) {
            throw new RefresherUnavailableException("token-refresher unreachable");
        }
    }

    /** Deletes the credential of a profile; absent counts as done. */
    public void delete(UUID authProfileId) throws RefresherUnavailableException {
        try {
            http.toBlocking().exchange(HttpRequest.DELETE("/internal/credentials/" + authProfileId)
                    .bearerAuth(internalTokens.internalToken()));
        } catch (HttpClientResponseException e) {
            if (e.getStatus() != HttpStatus.NOT_FOUND) {
                throw new RefresherUnavailableException("token-refresher answered " + e.getStatus().getCode());
            }
        } catch (HttpClientException e) {
            throw new RefresherUnavailableException("token-refresher unreachable");
        }
    }

    /** token-refresher did not take the request; nothing may be treated as stored. */
    public static class RefresherUnavailableException extends Exception {
        public RefresherUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
