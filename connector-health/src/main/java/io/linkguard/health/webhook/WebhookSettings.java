package io.linkguard.health.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Webhook delivery settings ({@code linkguard.webhooks.*}), checked at start-up.
 *
 * @param allowPrivateTargets allow http:// and loopback/private addresses as targets: for local
 *                            development and tests only ({@code LINKGUARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS});
 *                            off, only https targets on public addresses are accepted and called,
 *                            so an endpoint can never be used to reach into the cluster
 * @param giveUpAfter         how long a delivery is retried before it is marked failed
 *                            ({@code LINKGUARD_WEBHOOKS_GIVE_UP_AFTER})
 * @param timeout             how long one attempt may take ({@code LINKGUARD_WEBHOOKS_TIMEOUT})
 * @param retention           how long delivered and failed deliveries stay readable
 *                            ({@code LINKGUARD_WEBHOOKS_RETENTION})
 * @param maxEndpointsPerOrg  how many endpoints one org may register ({@code LINKGUARD_WEBHOOKS_MAX_ENDPOINTS_PER_ORG})
 *
 * The delivery job's timing is read by its {@code @Scheduled} annotations: {@code interval} (1s)
 * and {@code initial-delay} (2s) for sending due deliveries, {@code prune-interval} (1h) and
 * {@code prune-initial-delay} (1m) for deleting old ones.
 */
@Context
@ConfigurationProperties("linkguard.webhooks")
public record WebhookSettings(@Bindable(defaultValue = "false") boolean allowPrivateTargets,
                              @NotNull(message = "must be a duration such as 24h: check LINKGUARD_WEBHOOKS_GIVE_UP_AFTER")
                              @Bindable(defaultValue = "24h") Duration giveUpAfter,
                              @NotNull(message = "must be a duration such as 10s: check LINKGUARD_WEBHOOKS_TIMEOUT")
                              @Bindable(defaultValue = "10s") Duration timeout,
                              @NotNull(message = "must be a duration such as 7d: check LINKGUARD_WEBHOOKS_RETENTION")
                              @Bindable(defaultValue = "7d") Duration retention,
                              @Min(value = 1, message = "must be between 1 and 1000: check LINKGUARD_WEBHOOKS_MAX_ENDPOINTS_PER_ORG")
                              @Max(value = 1000, message = "must be between 1 and 1000: check LINKGUARD_WEBHOOKS_MAX_ENDPOINTS_PER_ORG")
                              @Bindable(defaultValue = "20") int maxEndpointsPerOrg) {
}
