package io.linkguard.health.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Webhook delivery settings ({@code linkguard.webhooks.*}).
 *
 * @param allowPrivateTargets allow http:// and loopback/private addresses as targets: for local
 *                            development and tests only ({@code LINKGUARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS});
 *                            off, only https targets on public addresses are accepted and called,
 *                            so an endpoint can never be used to reach into the cluster
 * @param giveUpAfter         how long a delivery is retried before it is marked failed
 * @param timeout             how long one attempt may take
 * @param retention           how long delivered and failed deliveries stay readable
 * @param maxEndpointsPerOrg  how many endpoints one org may register
 */
@ConfigurationProperties("linkguard.webhooks")
public record WebhookSettings(@Bindable(defaultValue = "false") boolean allowPrivateTargets,
                              @Bindable(defaultValue = "24h") Duration giveUpAfter,
                              @Bindable(defaultValue = "10s") Duration timeout,
                              @Bindable(defaultValue = "7d") Duration retention,
                              @Bindable(defaultValue = "20") int maxEndpointsPerOrg) {
}
