package io.linkguard.health.webhook;

import io.linkguard.health.page.Paging;
import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * An org's webhook endpoints ({@code /api/orgs/{orgId}/webhooks}): register (the signing secret
 * is shown once, in the answer), list, delete, read the deliveries with their attempts and
 * redeliver one. Only an owner/admin of the org with the {@code admin} scope gets here: the
 * shared AccessPolicy filter answers 404 for another org and 403 for anyone else first.
 */
@Controller("/api/orgs/{orgId}/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class WebhookController {

    static final String CURSOR_KIND = "webhook-deliveries";

    @Serdeable
    record CreateWebhook(@Nullable String url, @Nullable List<String> events, @Nullable String description) {
    }

    /** An endpoint; {@code secret} only in the answer to its creation. */
    @Serdeable
    record WebhookView(UUID id, String url, List<String> events, @Nullable String description, Instant createdAt,
                       @Nullable String secret) {
        static WebhookView of(WebhookRepository.Endpoint e, boolean withSecret) {
            return new WebhookView(e.id(), e.url(), e.events(), e.description(), e.createdAt(), withSecret ? e.secret() : null);
        }
    }

    @Serdeable
    record WebhookList(List<WebhookView> items) {
    }

    @Serdeable
    record DeliveryView(UUID id, String event, DeliveryStatus status, int attempts, @Nullable Integer lastStatus,
                        @Nullable String lastError, @Nullable Instant lastAttemptAt, @Nullable Instant deliveredAt,
                        Instant createdAt) {
        static DeliveryView of(WebhookRepository.Delivery d) {
            return new DeliveryView(d.id(), d.event(), d.status(), d.attempts(), d.lastStatus(), d.lastError(),
                    d.lastAttemptAt(), d.deliveredAt(), d.createdAt());
        }
    }

    @Serdeable
    record DeliveryPage(List<DeliveryView> items, @Nullable String nextCursor) {
    }

    private final WebhookRepository repository;
    private final WebhookSettings settings;

    WebhookController(WebhookRepository repository, WebhookSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    @Post
    HttpResponse<WebhookView> create(@PathVariable UUID orgId, @Body CreateWebhook body) {
        String url = WebhookTargets.checkForRegistration(body.url(), settings.allowPrivateTargets()).toString();
        if (body.events() == null || body.events().isEmpty()) {
            throw ProblemException.badRequest("events: name at least one of " + String.join(", ", WebhookOutbox.EVENTS));
        }
        for (String e : body.events()) {
            if (!WebhookOutbox.EVENTS.contains(e)) {
                throw ProblemException.badRequest("events: unknown event '" + e + "'; known: " + String.join(", ", WebhookOutbox.EVENTS));
            }
        }
        String description = body.description() == null || body.description().isBlank() ? null : body.description().trim();
        if (description != null && description.length() > 200) {
            throw ProblemException.badRequest("description: at most 200 characters");
        }
        WebhookRepository.Endpoint e = repository.create(orgId, url, List.copyOf(new LinkedHashSet<>(body.events())),
                description, WebhookSigner.newSecret(), settings.maxEndpointsPerOrg());
        if (e == null) {
            throw ProblemException.conflict("too-many-webhooks",
                    "An org may have at most " + settings.maxEndpointsPerOrg() + " webhook endpoints; delete one first.");
        }
        return HttpResponse.created(WebhookView.of(e, true));
    }

    @Get
    WebhookList list(@PathVariable UUID orgId) {
        return new WebhookList(repository.list(orgId).stream().map(e -> WebhookView.of(e, false)).toList());
    }

    @Get("/{id}")
    WebhookView get(@PathVariable UUID orgId, @PathVariable UUID id) {
        return WebhookView.of(endpoint(orgId, id), false);
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(@PathVariable UUID orgId, @PathVariable UUID id) {
        if (!repository.delete(orgId, id)) {
            throw ProblemException.notFound("No webhook endpoint " + id + ".");
        }
        return HttpResponse.noContent();
    }

    @Get("/{id}/deliveries{?cursor,limit}")
    DeliveryPage deliveries(@PathVariable UUID orgId, @PathVariable UUID id, @Nullable @QueryValue String cursor,
                            @Nullable @QueryValue Integer limit) {
        endpoint(orgId, id);
        int size = Paging.limit(limit);
        List<String> key = Paging.decode(CURSOR_KIND, cursor, 2);
        Instant beforeCreated;
        UUID beforeId;
        try {
            beforeCreated = key == null ? null : Instant.parse(key.get(0));
            beforeId = key == null ? null : UUID.fromString(key.get(1));
        } catch (RuntimeException e) {
            throw Paging.invalid();
        }
        List<WebhookRepository.Delivery> rows = repository.deliveries(id, beforeCreated, beforeId, size + 1);
        boolean more = rows.size() > size;
        List<WebhookRepository.Delivery> page = more ? rows.subList(0, size) : rows;
        WebhookRepository.Delivery last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new DeliveryPage(page.stream().map(DeliveryView::of).toList(),
                more ? Paging.encode(CURSOR_KIND, last.createdAt().toString(), last.id().toString()) : null);
    }

    @Post("/{id}/deliveries/{deliveryId}/redeliver")
    HttpResponse<DeliveryView> redeliver(@PathVariable UUID orgId, @PathVariable UUID id, @PathVariable UUID deliveryId) {
        endpoint(orgId, id);
        WebhookRepository.Delivery d = repository.redeliver(id, deliveryId);
        if (d == null) {
            throw ProblemException.notFound("No delivery " + deliveryId + " for this endpoint.");
        }
        return HttpResponse.<DeliveryView>status(HttpStatus.ACCEPTED).body(DeliveryView.of(d));
    }

    private WebhookRepository.Endpoint endpoint(UUID orgId, UUID id) {
        WebhookRepository.Endpoint e = repository.find(orgId, id);
        if (e == null) {
            throw ProblemException.notFound("No webhook endpoint " + id + ".");
        }
        return e;
    }
}
