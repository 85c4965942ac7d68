package io.linkguard.refresher.refresh;

import io.linkguard.refresher.report.InternalTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
        Map.Entry<Boolean, Instant> e = cache.get(userId);
        if (e != null && e.getValue().isAfter(Instant.now())) {
            return e.getKey();
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

    @Serdeable
    record State(boolean effectivePaused) {
    }
}
