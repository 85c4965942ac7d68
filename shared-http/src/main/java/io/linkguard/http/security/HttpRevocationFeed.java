package io.linkguard.http.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;

/**
 * Reads auth-server's revocation list at {@code {linkguard.security.revocation.url}/internal/revocations}
 * with this service's internal token. Services other than auth-server use it; they set the URL to
 * auth-server's own address, never the gateway's (the gateway does not route {@code /internal}).
 */
@Singleton
@Requires(property = "linkguard.security.revocation.url")
@Requires(property = "linkguard.security.revocation.enabled", notEquals = "false")
@Requires(beans = InternalTokenProvider.class)
public class HttpRevocationFeed implements RevocationFeed {

    private final HttpClient http;
    private final InternalTokenProvider tokens;

    public HttpRevocationFeed(@Client("${linkguard.security.revocation.url}") HttpClient http, InternalTokenProvider tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    @Override
    public RevocationPage since(long cursor) {
        try {
            return http.toBlocking().retrieve(HttpRequest.GET("/internal/revocations?since=" + cursor)
                    .bearerAuth(tokens.internalToken()), RevocationPage.class);
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 401) {
                tokens.invalidate();
            }
            throw e;
        }
    }
}
