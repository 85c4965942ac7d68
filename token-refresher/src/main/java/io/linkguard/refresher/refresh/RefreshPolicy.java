package io.linkguard.refresher.refresh;

import io.linkguard.refresher.credential.Credential;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** What a provider's refusal means, and how long a failing credential waits: the rules, without state. */
final class RefreshPolicy {

    /**
     * OAuth error codes that mean the grant is gone. bad_refresh_token: GitHub (in a 200 body);
     * invalid_refresh_token: Slack ({"ok":false} in a 200).
     */
    static final Set<String> PERMANENT = Set.of("invalid_grant", "bad_refresh_token", "invalid_refresh_token",
            "invalid_client", "unauthorized_client");

    private RefreshPolicy() {
    }

    /**
     * Only an OAuth error code that means "the grant is gone" is permanent. Anything else — 5xx, 429,
     * a WAF's bare 403, an HTML rate-limit page, an unknown code — is transient: retried with
     * backoff and, if it lasts for days (give-up-after), finally reported as needing a reconnect.
     */
    static boolean permanent(@Nullable String errorCode) {
        return errorCode != null && PERMANENT.contains(errorCode);
    }

    /**
     * Exponential backoff with jitter for the {@code attempt}-th failure in a row (2^n seconds, capped
     * at an hour, half of it random), never shorter than the provider's {@code Retry-After}.
     */
    static Duration backoff(int attempt, @Nullable Duration retryAfter) {
        long base = (long) Math.min(Duration.ofHours(1).toMillis(), 1000L * Math.pow(2, Math.min(attempt, 12)));
        Duration backoff = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2)));
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /** @return whether a credential failing since its first failure has failed for longer than {@code giveUpAfter} */
    static boolean givesUp(Credential c, Duration giveUpAfter) {
        return c.firstFailureAt() != null && c.firstFailureAt().isBefore(Instant.now().minus(giveUpAfter));
    }
}
