package io.linkguard.refresher.refresh;

import io.linkguard.http.security.InternalTokens;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Asks connector-health whether automation is paused for a user (operator or user switch), cached briefly. */
@Singleton
class AutomationPause {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationPause.class);
    private static final Duration TTL = Duration.ofSeconds(30);

    private final HttpClient http;
    private final InternalTokens tokens;
    /** Bounded; an answer is used for {@link #TTL}, so a user's new pause is honoured within it. */
    private final Cache<UUID, Boolean> cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build();

    AutomationPause(@Client("${linkguard.health-url}") HttpClient http, InternalTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /** When the answer cannot be had, background work waits: a pause must never be ignored. */
    boolean paused(UUID userId) {
        Boolean known = cached(userId);
        if (known != null) {
            return known;
        }
        try {
            boolean paused = http.toBlocking().retrieve(HttpRequest.GET("/internal/users/" + userId + "/automation-state")
                    .bearerAuth(tokens.get()), State.class).effectivePaused();
            cache.put(userId, paused);
            return paused;
        } catch (RuntimeException ex) {
            LOG.warn("Automation state of {} unknown ({}); holding background work", userId, ex.toString());
            return true;
        }
    }

    /**
     * Asks once for a whole batch of users (one request instead of one per user) and caches the
     * answers. If the question fails, nothing is cached and {@link #paused} asks per user, which
     * holds the work when connector-health cannot answer.
     */
    void prefetch(List<UUID> userIds) {
        List<UUID> unknown = userIds.stream().filter(u -> cached(u) == null).toList();
        if (unknown.isEmpty()) {
            return;
        }
        try {
            PausedAmong answer = http.toBlocking().retrieve(HttpRequest.POST("/internal/automation-states",
                    new PausedAmongRequest(unknown)).bearerAuth(tokens.get()), PausedAmong.class);
            Set<UUID> paused = new HashSet<>(answer.paused());
            for (UUID u : unknown) {
                cache.put(u, answer.operatorPaused() || paused.contains(u));
            }
        } catch (RuntimeException ex) {
            LOG.warn("Automation states of {} users unknown ({}); asking one by one", unknown.size(), ex.toString());
        }
    }

    /** @return the cached answer while it is fresh, else null */
    @Nullable
    private Boolean cached(UUID userId) {
        return cache.getIfPresent(userId);
    }

    @Serdeable
    record State(boolean effectivePaused) {
    }

    @Serdeable
    record PausedAmongRequest(List<UUID> userIds) {
    }

    /** Tolerant: an empty list may be left out of the answer altogether. */
    @Serdeable
    record PausedAmong(boolean operatorPaused, @Nullable List<UUID> paused) {
        PausedAmong {
            paused = paused == null ? List.of() : paused;
        }
    }
}
