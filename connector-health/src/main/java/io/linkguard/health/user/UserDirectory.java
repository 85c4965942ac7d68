package io.linkguard.health.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;
import io.linkguard.http.security.UserOrgLookup;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which org a user belongs to, asked of auth-server (the owner of users) and remembered
 * briefly. Used to keep every read and write inside the caller's org.
 */
@Singleton
public class UserDirectory implements UserOrgLookup {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 10_000;

    private final HttpClient http;
    private final InternalTokens tokens;
    private final Map<UUID, Entry> cache = new ConcurrentHashMap<>();

    UserDirectory(@Client("${linkguard.auth-url}") HttpClient http, InternalTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /**
     * @param userId a user id
     * @return the user's org, or empty when no such user exists
     */
    public Optional<UUID> orgOf(UUID userId) {
        Entry e = cache.get(userId);
        if (e != null && e.expires.isAfter(Instant.now())) {
            return Optional.ofNullable(e.orgId);
        }
        UUID org = lookup(userId, true);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(userId, new Entry(org, Instant.now().plus(TTL)));
        return Optional.ofNullable(org);
    }

    /** @param userId a deleted user: forget it at once */
    public void forget(UUID userId) {
        cache.remove(userId);
    }

    @Nullable
    private UUID lookup(UUID userId, boolean retryOn401) {
        try {
            InternalUser u = http.toBlocking().retrieve(HttpRequest.GET("/internal/users/" + userId)
                    .bearerAuth(tokens.get()), InternalUser.class);
            return u.orgId();
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

    private record Entry(@Nullable UUID orgId, Instant expires) {
    }

    @Serdeable
    record InternalUser(UUID id, UUID orgId) {
    }
}
