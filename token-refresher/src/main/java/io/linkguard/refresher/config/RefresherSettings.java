package io.linkguard.refresher.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How token-refresher refreshes ({@code linkguard.refresher.*}), read once and validated at start-up:
 * a bad value stops the service with a message naming the variable to fix.
 *
 * @param skew                 a worker is never handed a token with less life left than this
 *                             ({@code LINKGUARD_REFRESHER_SKEW})
 * @param refreshMargin        the background job refreshes this long before expiry, with jitter
 *                             ({@code LINKGUARD_REFRESHER_REFRESH_MARGIN})
 * @param giveUpAfter          transient failures lasting this long end in needs_reauth
 *                             ({@code LINKGUARD_REFRESHER_GIVE_UP_AFTER})
 * @param shutdownDrain        how long shutdown waits for refreshes already at a provider
 *                             ({@code LINKGUARD_REFRESHER_SHUTDOWN_DRAIN})
 * @param outboxRetention      how long delivered reports are kept ({@code LINKGUARD_REFRESHER_OUTBOX_RETENTION})
 * @param keys                 the key ring sealing provider tokens, {@code id:base64key[,…]}
 *                             ({@code LINKGUARD_TOKEN_KEYS}; checked by {@code TokenCipher})
 * @param activeKey            the key new ciphertexts use ({@code LINKGUARD_TOKEN_ACTIVE_KEY})
 *
 * Per-provider values, which have a default and a value per provider key, stay with the component
 * that looks them up by key: the budget ({@code ProviderDirectory}) and the in-flight limit
 * ({@code ProviderGuard}); the background job's own settings are {@link BackgroundSettings}.
 */
@Context
@ConfigurationProperties("linkguard.refresher")
public record RefresherSettings(
        @NotNull(message = "must be a duration: LINKGUARD_REFRESHER_SKEW")
        @Bindable(defaultValue = "60s") Duration skew,
        @NotNull(message = "must be a duration: LINKGUARD_REFRESHER_REFRESH_MARGIN")
        @Bindable(defaultValue = "5m") Duration refreshMargin,
        @NotNull(message = "must be a duration: LINKGUARD_REFRESHER_GIVE_UP_AFTER")
        @Bindable(defaultValue = "3d") Duration giveUpAfter,
        @NotNull(message = "must be a duration: LINKGUARD_REFRESHER_SHUTDOWN_DRAIN")
        @Bindable(defaultValue = "20s") Duration shutdownDrain,
        @NotNull(message = "must be a duration: LINKGUARD_REFRESHER_OUTBOX_RETENTION")
        @Bindable(defaultValue = "7d") Duration outboxRetention,
        @Nullable String keys,
        @NotBlank(message = "must not be blank: LINKGUARD_TOKEN_ACTIVE_KEY")
        @Bindable(defaultValue = "k1") String activeKey) {
}
