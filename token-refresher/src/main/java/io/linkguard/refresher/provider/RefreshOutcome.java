package io.linkguard.refresher.provider;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What a refresh request to a provider came to. */
public sealed interface RefreshOutcome {

    /** New tokens (the refresh token only when the provider rotated it). */
    record Refreshed(String accessToken, @Nullable String refreshToken, String tokenType, @Nullable Instant expiresAt,
                     @Nullable List<String> scopes) implements RefreshOutcome {
    }

    /** The provider refused, with an RFC 6749 code and/or an HTTP status. */
    record Refused(int status, @Nullable String errorCode, @Nullable Duration retryAfter) implements RefreshOutcome {
    }

    /** The request was never sent (connection refused, DNS): safe to retry with the same token. */
    record NotSent(String reason) implements RefreshOutcome {
    }

    /** The request may have reached the provider (timeout, connection dropped): must not be replayed blindly. */
    record Uncertain(String reason) implements RefreshOutcome {
    }
}
