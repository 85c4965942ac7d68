package io.linkguard.refresher.refresh;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Why {@link RefreshService} cannot hand out a token: an outcome of the domain, not an HTTP answer.
 * {@link TokenRefusalHandler} turns it into the problem+json a worker sees, at the edge.
 */
public final class TokenRefusal extends RuntimeException {

    /** The three ways a fresh-token request ends without a token. */
    public enum Kind {
        /** no such connection in the caller's org */
        NO_SUCH_CONNECTION,
        /** the provider no longer accepts the grant: only the user reconnecting helps */
        NEEDS_REAUTH,
        /** the provider cannot refresh right now and the stored token has expired */
        PROVIDER_UNAVAILABLE
    }

    private final Kind kind;
    @Nullable
    private final String connector;
    private final Duration retryAfter;

    private TokenRefusal(Kind kind, @Nullable String connector, Duration retryAfter) {
        super(kind.name(), null, false, false);
        this.kind = kind;
        this.connector = connector;
        this.retryAfter = retryAfter;
    }

    static TokenRefusal noSuchConnection() {
        return new TokenRefusal(Kind.NO_SUCH_CONNECTION, null, Duration.ZERO);
    }

    static TokenRefusal needsReauth(String connector) {
        return new TokenRefusal(Kind.NEEDS_REAUTH, connector, Duration.ZERO);
    }

    static TokenRefusal providerUnavailable(Duration retryAfter) {
        return new TokenRefusal(Kind.PROVIDER_UNAVAILABLE, null, retryAfter);
    }

    /** @return which refusal */
    public Kind kind() {
        return kind;
    }

    /** @return the connector to reconnect ({@link Kind#NEEDS_REAUTH} only) */
    @Nullable
    public String connector() {
        return connector;
    }

    /** @return when to try again ({@link Kind#PROVIDER_UNAVAILABLE} only) */
    public Duration retryAfter() {
        return retryAfter;
    }
}
