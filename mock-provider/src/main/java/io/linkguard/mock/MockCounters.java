package io.linkguard.mock;

import java.util.Map;

/**
 * A snapshot of what the provider has received since start or the last reset.
 *
 * @param refreshRequests        refresh_token grant requests received, whatever their outcome
 *                               (including failed and injected-fault ones)
 * @param refreshRequestsByUser  the same, per user, for requests whose refresh token was known
 * @param successfulRefreshes    refresh requests answered with new tokens
 * @param tokenRequestsByGrant   every token request by {@code grant_type} ({@code "none"} when absent)
 * @param authorizations         codes issued by {@code /authorize}
 * @param revocations            calls of {@code /revoke}
 * @param maxConcurrentTokenRequests the most token requests the provider was working on at once (during
 *                               the configured token latency)
 */
public record MockCounters(long refreshRequests,
                           Map<String, Long> refreshRequestsByUser,
                           long successfulRefreshes,
                           Map<String, Long> tokenRequestsByGrant,
                           long authorizations,
                           long revocations,
                           int maxConcurrentTokenRequests) {

    /** Refresh requests received for one user (0 when none). */
    public long refreshRequestsFor(String user) {
        return refreshRequestsByUser.getOrDefault(user, 0L);
    }

    /** Token requests received for one grant type (0 when none). */
    public long tokenRequests(String grantType) {
        return tokenRequestsByGrant.getOrDefault(grantType, 0L);
    }
}
