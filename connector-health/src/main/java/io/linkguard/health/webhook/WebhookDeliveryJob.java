package io.linkguard.health.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends queued webhook deliveries, signed the Standard Webhooks way, with exponential backoff
 * until {@link WebhookSettings#giveUpAfter()} (then the delivery is marked failed, still visible).
 * A slow or dead endpoint holds up nobody else: sends run on their own threads (a status change
 * only ever writes a row), each attempt has a timeout, and at most {@link #PER_ENDPOINT} sends of
 * one endpoint are in flight at once, so one endpoint can never take all the senders.
 */
@Singleton
class WebhookDeliveryJob {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryJob.class);
    static final int SENDERS = 16;
    static final int PER_ENDPOINT = 2;
    /** Waits between attempts; the last one repeats until the delivery gives up. */
    static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4));

    private final WebhookRepository repository;
    private final WebhookSettings settings;
    private final MeterRegistry metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    private final Semaphore free = new Semaphore(SENDERS);
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    WebhookDeliveryJob(WebhookRepository repository, WebhookSettings settings, MeterRegistry metrics) {
        this.repository = repository;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Scheduled(fixedDelay = "${linkguard.webhooks.interval:1s}", initialDelay = "${linkguard.webhooks.initial-delay:2s}")
    void run() {
        int capacity = free.availablePermits();
        if (capacity == 0) {
            return;
        }
        List<UUID> busy = inFlight.entrySet().stream().filter(e -> e.getValue().get() >= PER_ENDPOINT)
                .map(Map.Entry::getKey).toList();
        for (WebhookRepository.Due d : repository.claim(capacity, PER_ENDPOINT, busy)) {
            free.acquireUninterruptibly();
            inFlight.computeIfAbsent(d.endpointId(), k -> new AtomicInteger()).incrementAndGet();
            senders.execute(() -> {
                try {
                    send(d);
                } catch (RuntimeException e) {
                    LOG.warn("Webhook delivery {} failed unexpectedly: {}", d.id(), e.toString());
                } finally {
                    inFlight.get(d.endpointId()).decrementAndGet();
                    free.release();
                }
            });
        }
    }

    @Scheduled(fixedDelay = "${linkguard.webhooks.prune-interval:1h}",
               initialDelay = "${linkguard.webhooks.prune-initial-delay:1m}")
    void prune() {
        while (repository.prune(settings.retention()) == WebhookRepository.PRUNE_BATCH) {
            // keep going while there is a backlog
        }
    }

    private void send(WebhookRepository.Due d) {
        URI target = URI.create(d.url());
        String refused = WebhookTargets.refusal(target, settings.allowPrivateTargets());
        if (refused != null) {
            failed(d, null, refused);
            return;
        }
        long timestamp = Instant.now().getEpochSecond();
        String id = d.id().toString();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Linkguard-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(d.secret(), id, timestamp, d.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                repository.delivered(d.id(), status);
                metrics.counter("linkguard.webhooks.deliveries", "outcome", "delivered").increment();
            } else {
                failed(d, status, "HTTP " + status);
            }
        } catch (IOException e) {
            failed(d, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(d, null, "interrupted");
        }
    }

    private void failed(WebhookRepository.Due d, Integer status, String error) {
        Duration wait = BACKOFF.get(Math.min(d.attempts(), BACKOFF.size() - 1));
        boolean giveUp = Instant.now().plus(wait).isAfter(d.createdAt().plus(settings.giveUpAfter()));
        repository.attemptFailed(d.id(), status, error, giveUp ? null : wait);
        metrics.counter("linkguard.webhooks.deliveries", "outcome", giveUp ? "failed" : "retrying").increment();
        LOG.info("Webhook delivery {} to endpoint {}: {}{}", d.id(), d.endpointId(), error,
                giveUp ? ", given up" : ", retrying in " + wait);
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }
}
