package io.linkguard.http.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Which org a user belongs to, asked of auth-server ({@code GET /internal/users/{id}}, the owner of
 * users) and remembered for 30 seconds in a bounded cache — "no such user" too. Keeps every read
 * and write of the services that do not own users inside the caller's org.
 */
@Singleton
@Requires(property = "linkguard.auth-url")
public class UserDirectory implements UserOrgLookup {

    static final Duration TTL = Duration.ofSeconds(30);

    private final HttpClient http;
    private final InternalTokens tokens;
    private final Cache<UUID, Optional<UUID>> cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

    UserDirectory(@Client("${linkguard.auth-url}") HttpClient http, InternalTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    @Override
    public Optional<UUID> orgOf(UUID userId) {
        return cache.get(userId, id -> Optional.ofNullable(lookup(id, true)));
    }

    /** @param userId a deleted user: forget it at once */
    public void forget(UUID userId) {
        cache.invalidate(userId);
    }

    @Nullable
    private UUID lookup(UUID userId, boolean retryOn401) {
        try {
            return http.toBlocking().retrieve(HttpRequest.GET("/internal/users/" + userId).bearerAuth(tokens.get()),
                    InternalUser.class).orgId();
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return null;
            }
            if (e.getStatus() == HttpStatus.UNAUTHORIZED && retryOn401) {
                tokens.invalidate();
                return lookup(userId, false);
            }
            throw e;
        }
    }

    /** auth-server's answer (a tolerant reader: other members are ignored). */
    @Serdeable
    record InternalUser(UUID id, UUID orgId) {
    }
}
