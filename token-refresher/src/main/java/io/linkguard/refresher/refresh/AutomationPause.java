package io.linkguard.refresher.refresh;

import io.linkguard.refresher.report.InternalTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Asks connector-health whether automation is paused for a user (operator or user switch), cached briefly. */
@Singleton
class AutomationPause {

    private static final Logger LOG = LoggerFactory.getLogger(AutomationPause.class);
    private static final Duration TTL = Duration.ofSeconds(30);

    private final HttpClient http;
    private final InternalTokens tokens;
    private final Map<UUID, Map.Entry<Boolean, Instant>> cache = new ConcurrentHashMap<>();

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
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(userId, Map.entry(paused, Instant.now().plus(TTL)));
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
            Instant until = Instant.now().plus(TTL);
            if (cache.size() + unknown.size() > 10_000) {
                cache.clear();
            }
            for (UUID u : unknown) {
                cache.put(u, Map.entry(answer.operatorPaused() || paused.contains(u), until));
            }
        } catch (RuntimeException ex) {
            LOG.warn("Automation states of {} users unknown ({}); asking one by one", unknown.size(), ex.toString());
        }
    }

    /** @return the cached answer while it is fresh, else null */
    @Nullable
    private Boolean cached(UUID userId) {
        Map.Entry<Boolean, Instant> e = cache.get(userId);
        return e != null && e.getValue().isAfter(Instant.now()) ? e.getKey() : null;
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
