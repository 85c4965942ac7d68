package io.linkguard.mock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the provider knows, in memory, safe for concurrent use. One-time use and rotation
 * rest on {@link ConcurrentHashMap#remove(Object, Object)}: of N threads removing the same
 * entry exactly one gets {@code true}, so of N simultaneous redemptions of one code or
 * rotations of one refresh token exactly one succeeds.
 */
final class ProviderState {

    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    record AuthorizationCode(String code, String clientId, String user, String redirectUri,
                             String codeChallenge, List<String> scopes, Instant expiresAt) {
    }

    /** One user's consent to one client; revoking it kills every token issued under it. */
    static final class Grant {
        final String user;
        final String clientId;
        final List<String> scopes;
        volatile boolean revoked;

        Grant(String user, String clientId, List<String> scopes) {
            this.user = user;
            this.clientId = clientId;
            this.scopes = List.copyOf(scopes);
        }
    }

    record RefreshToken(String value, Grant grant) {
    }

    record AccessToken(String value, Grant grant, List<String> scopes, Instant expiresAt) {
    }

    /** An injected fault with the number of token requests it still applies to (-1: until cleared). */
    private record InjectedFailure(Failure failure, AtomicInteger remaining) {
    }

    /** The tokens handed out by one successful token request. */
    record IssuedTokens(AccessToken access, String refreshToken) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MockProviderConfig config;
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Set<Grant> grants = ConcurrentHashMap.newKeySet();
    /** Every refresh token ever issued → its user, so requests with stale tokens still count per user. */
    private final Map<String, String> refreshTokenOwners = new ConcurrentHashMap<>();

    private volatile Duration accessTokenLifetime;
    private volatile boolean rotateRefreshTokens;
    private volatile Set<Quirk> quirks;
    private volatile long tokenLatencyMillis;
    private volatile String authorizeError;
    private volatile Set<String> deniedScopes = Set.of();
    private final AtomicReference<InjectedFailure> failure = new AtomicReference<>();

    private final LongAdder refreshRequests = new LongAdder();
    /** Token requests being answered right now, and the most there have been at once. */
    private final AtomicInteger tokenRequestsOpen = new AtomicInteger();
    private final AtomicInteger maxTokenRequestsOpen = new AtomicInteger();
    private final Map<String, LongAdder> refreshRequestsByUser = new ConcurrentHashMap<>();
    private final LongAdder successfulRefreshes = new LongAdder();
    private final Map<String, LongAdder> tokenRequestsByGrant = new ConcurrentHashMap<>();
    private final LongAdder authorizations = new LongAdder();
    private final LongAdder revocations = new LongAdder();

    ProviderState(MockProviderConfig config) {
        this.config = config;
        this.accessTokenLifetime = config.accessTokenLifetime();
        this.rotateRefreshTokens = config.rotateRefreshTokens();
        this.quirks = config.quirks();
    }

    MockProviderConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- clients

    boolean isClient(String clientId) {
        return clientId != null && config.clients().containsKey(clientId);
    }

    boolean clientSecretMatches(String clientId, String secret) {
        String expected = clientId == null ? null : config.clients().get(clientId);
        if (expected == null || secret == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- authorization codes

    String issueCode(String clientId, String user, String redirectUri, String codeChallenge, List<String> requested) {
        List<String> granted = new ArrayList<>(requested.isEmpty() ? config.defaultScopes() : requested);
        granted.removeAll(deniedScopes);
        String code = "mock_code_" + randomToken();
        codes.put(code, new AuthorizationCode(code, clientId, user, redirectUri, codeChallenge,
                List.copyOf(granted), Instant.now().plus(CODE_LIFETIME)));
        authorizations.increment();
        return code;
    }

    /** authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). */
    IssuedTokens redeemCode(String clientId, String code, String redirectUri, String codeVerifier) {
        if (code == null || code.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.toException();
        }
        // One-time: removed before it is checked, so a second redemption never sees it.
        AuthorizationCode ac = codes.remove(code);
        if (ac == null || ac.expiresAt().isBefore(Instant.now()) || !ac.clientId().equals(clientId)
                || !Objects.equals(ac.redirectUri(), redirectUri)) {
            throw OAuthError.INVALID_GRANT.toException();
        }
        if (ac.codeChallenge() != null
                && (codeVerifier == null || !MessageDigest.isEqual(
                        s256(codeVerifier).getBytes(StandardCharsets.US_ASCII),
                        ac.codeChallenge().getBytes(StandardCharsets.US_ASCII)))) {
            throw OAuthError.INVALID_GRANT.toException();
        }
        Grant grant = new Grant(ac.user(), clientId, ac.scopes());
        grants.add(grant);
        return issue(grant, grant.scopes, true);
    }

    // ---------------------------------------------------------------- refresh

    /** Counts a refresh request as received, before any outcome (faults included). */
    void countRefreshRequest(String refreshToken) {
        refreshRequests.increment();
        String user = refreshToken == null ? null : refreshTokenOwners.get(refreshToken);
        if (user != null) {
            refreshRequestsByUser.computeIfAbsent(user, u -> new LongAdder()).increment();
        }
    }

    /** refresh_token grant (RFC 6749 §6), rotating the refresh token when configured. */
    IssuedTokens refresh(String clientId, String refreshToken, String scope) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw OAuthError.INVALID_REQUEST.toException();
        }
        RefreshToken rt = refreshTokens.get(refreshToken);
        if (rt == null || rt.grant().revoked || !rt.grant().clientId.equals(clientId)) {
            throw OAuthError.INVALID_GRANT.toException();
        }
        List<String> scopes = rt.grant().scopes;
        if (scope != null && !scope.isBlank()) {
            List<String> asked = splitScopes(scope);
            if (!scopes.containsAll(asked)) {
                throw OAuthError.INVALID_SCOPE.toException();
            }
            scopes = asked;
        }
        boolean rotate = rotateRefreshTokens;
        // Rotation: exactly one of N concurrent callers removes the entry; the others lose.
        if (rotate && !refreshTokens.remove(refreshToken, rt)) {
            throw OAuthError.INVALID_GRANT.toException();
        }
        IssuedTokens issued = issue(rt.grant(), scopes, rotate);
        successfulRefreshes.increment();
        return new IssuedTokens(issued.access(), rotate ? issued.refreshToken() : refreshToken);
    }

    private IssuedTokens issue(Grant grant, List<String> scopes, boolean newRefreshToken) {
        // A token "without expiry" still needs an instant here; a century is never reached in a test.
        AccessToken at = new AccessToken("mock_at_" + randomToken(), grant, List.copyOf(scopes),
                Instant.now().plus(quirks.contains(Quirk.NO_EXPIRY) ? Duration.ofDays(36500) : accessTokenLifetime));
        accessTokens.put(at.value(), at);
        String rtValue = null;
        if (newRefreshToken) {
            rtValue = "mock_rt_" + randomToken();
            refreshTokenOwners.put(rtValue, grant.user);
            refreshTokens.put(rtValue, new RefreshToken(rtValue, grant));
        }
        if (grant.revoked) {
            // A revocation raced with this request: do not leave live tokens behind.
            accessTokens.remove(at.value());
            if (rtValue != null) {
                refreshTokens.remove(rtValue);
            }
            throw OAuthError.INVALID_GRANT.toException();
        }
        return new IssuedTokens(at, rtValue);
    }

    // ---------------------------------------------------------------- revocation

    /** RFC 7009: a refresh token revokes its whole grant; an access token only itself. */
    void revokeToken(String clientId, String token) {
        revocations.increment();
        RefreshToken rt = refreshTokens.get(token);
        if (rt != null && rt.grant().clientId.equals(clientId)) {
            revokeGrants(List.of(rt.grant()));
            return;
        }
        AccessToken at = accessTokens.get(token);
        if (at != null && at.grant().clientId.equals(clientId)) {
            accessTokens.remove(token);
        }
    }

    /** Revokes every grant of a user; returns how many there were. */
    int revokeUser(String user) {
        List<Grant> mine = grants.stream().filter(g -> g.user.equals(user) && !g.revoked).toList();
        revokeGrants(mine);
        return mine.size();
    }

    private void revokeGrants(Collection<Grant> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        revoked.forEach(g -> g.revoked = true);
        Set<Grant> set = Set.copyOf(revoked);
        refreshTokens.values().removeIf(rt -> set.contains(rt.grant()));
        accessTokens.values().removeIf(at -> set.contains(at.grant()));
        grants.removeAll(set);
    }

    /** A live access token, or null. */
    AccessToken introspect(String accessToken) {
        AccessToken at = accessToken == null ? null : accessTokens.get(accessToken);
        if (at == null || at.grant().revoked || at.expiresAt().isBefore(Instant.now())) {
            return null;
        }
        return at;
    }

    // ---------------------------------------------------------------- controls

    /** Takes the fault for this token request, if one is armed, using up one of its count. */
    Failure takeFailure() {
        while (true) {
            InjectedFailure f = failure.get();
            if (f == null) {
                return null;
            }
            if (f.remaining() == null) {
                return f.failure();
            }
            int before = f.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0);
            if (before > 0) {
                return f.failure();
            }
            // Used up: clear it (unless someone armed a new one meanwhile) and look again.
            failure.compareAndSet(f, null);
        }
    }

    void injectFailure(Failure f, int times) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive (use injectFailureUntilCleared)");
        }
        failure.set(new InjectedFailure(f, new AtomicInteger(times)));
    }

    void injectFailureUntilCleared(Failure f) {
        failure.set(new InjectedFailure(f, null));
    }

    void clearFailures() {
        failure.set(null);
    }

    long tokenLatencyMillis() {
        return tokenLatencyMillis;
    }

    void tokenLatencyMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.tokenLatencyMillis = millis;
    }

    String authorizeError() {
        return authorizeError;
    }

    void authorizeError(String error) {
        this.authorizeError = error;
    }

    void deniedScopes(Collection<String> scopes) {
        this.deniedScopes = Set.copyOf(scopes);
    }

    Set<String> deniedScopes() {
        return deniedScopes;
    }

    Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    void accessTokenLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("access token lifetime must be positive");
        }
        this.accessTokenLifetime = lifetime;
    }

    boolean rotateRefreshTokens() {
        return rotateRefreshTokens;
    }

    void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    // ---------------------------------------------------------------- counters

    void countTokenRequest(String grantType) {
        tokenRequestsByGrant.computeIfAbsent(grantType == null ? "none" : grantType, g -> new LongAdder()).increment();
    }

    void tokenRequestStarted() {
        maxTokenRequestsOpen.accumulateAndGet(tokenRequestsOpen.incrementAndGet(), Math::max);
    }

    void tokenRequestEnded() {
        tokenRequestsOpen.decrementAndGet();
    }

    MockCounters counters() {
        return new MockCounters(refreshRequests.sum(), snapshot(refreshRequestsByUser), successfulRefreshes.sum(),
                snapshot(tokenRequestsByGrant), authorizations.sum(), revocations.sum(), maxTokenRequestsOpen.get());
    }

    void resetCounters() {
        refreshRequests.reset();
        refreshRequestsByUser.clear();
        successfulRefreshes.reset();
        tokenRequestsByGrant.clear();
        authorizations.reset();
        revocations.reset();
        maxTokenRequestsOpen.set(tokenRequestsOpen.get());
    }

    /** Back to the state right after start: no tokens, no faults, settings from the config. */
    void reset() {
        codes.clear();
        refreshTokens.clear();
        accessTokens.clear();
        grants.clear();
        refreshTokenOwners.clear();
        clearFailures();
        tokenLatencyMillis = 0;
        authorizeError = null;
        deniedScopes = Set.of();
        accessTokenLifetime = config.accessTokenLifetime();
        rotateRefreshTokens = config.rotateRefreshTokens();
        quirks = config.quirks();
        resetCounters();
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }

    static List<String> splitScopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : scope.trim().split("[\\s,]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, Object> tokenResponse(IssuedTokens t) {
        return tokenResponse(t, Set.of());
    }

    /** The token answer, shaped by the quirks that are on. */
    static Map<String, Object> tokenResponse(IssuedTokens t, Set<Quirk> quirks) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (quirks.contains(Quirk.OK_FALSE_ENVELOPE)) {
            body.put("ok", true);
        }
        body.put("access_token", t.access().value());
        body.put("token_type", "Bearer");
        if (!quirks.contains(Quirk.NO_EXPIRY)) {
            body.put("expires_in", Math.max(1, Duration.between(Instant.now(), t.access().expiresAt()).toSeconds()));
        }
        if (t.refreshToken() != null) {
            body.put("refresh_token", t.refreshToken());
        }
        body.put("scope", String.join(quirks.contains(Quirk.COMMA_SCOPES) ? "," : " ", t.access().scopes()));
        return body;
    }

    Set<Quirk> quirks() {
        return quirks;
    }

    void quirks(Set<Quirk> quirks) {
        this.quirks = Set.copyOf(quirks);
    }
}
