package io.linkguard.mock;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable start-up settings of a {@link MockProvider}. Build with {@link #builder()}; every
 * setting has a default that suits a test (random port on the loopback interface, one client,
 * one-hour access tokens, rotating refresh tokens, auto-approval).
 */
public final class MockProviderConfig {

    /** Client id registered by default. */
    public static final String DEFAULT_CLIENT_ID = "linkguard-mock-client";
    /** Client secret registered by default. */
    public static final String DEFAULT_CLIENT_SECRET = "linkguard-mock-secret";

    private final String host;
    private final int port;
    private final Map<String, String> clients;
    private final Duration accessTokenLifetime;
    private final boolean rotateRefreshTokens;
    private final boolean consentPage;
    private final boolean requirePkce;
    private final List<String> defaultScopes;
    private final String defaultUser;
    private final Set<Quirk> quirks;

    private MockProviderConfig(Builder b) {
        this.quirks = b.quirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.quirks));
        this.host = b.host;
        this.port = b.port;
        this.clients = Map.copyOf(b.clients);
        this.accessTokenLifetime = b.accessTokenLifetime;
        this.rotateRefreshTokens = b.rotateRefreshTokens;
        this.consentPage = b.consentPage;
        this.requirePkce = b.requirePkce;
        this.defaultScopes = List.copyOf(b.defaultScopes);
        this.defaultUser = b.defaultUser;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: random loopback port, {@link #DEFAULT_CLIENT_ID}/{@link #DEFAULT_CLIENT_SECRET}. */
    public static MockProviderConfig defaults() {
        return builder().build();
    }

    public String host() { return host; }
    public int port() { return port; }
    /** client id → client secret. */
    public Map<String, String> clients() { return clients; }
    public Duration accessTokenLifetime() { return accessTokenLifetime; }
    public boolean rotateRefreshTokens() { return rotateRefreshTokens; }
    public boolean consentPage() { return consentPage; }
    public boolean requirePkce() { return requirePkce; }
    public List<String> defaultScopes() { return defaultScopes; }
    public String defaultUser() { return defaultUser; }
    /** The provider quirks switched on at start. */
    public Set<Quirk> quirks() { return quirks; }

    /** Builder with test-friendly defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private final Map<String, String> clients = new LinkedHashMap<>(Map.of(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
        private Duration accessTokenLifetime = Duration.ofSeconds(3600);
        private boolean rotateRefreshTokens = true;
        private boolean consentPage = false;
        private boolean requirePkce = false;
        private List<String> defaultScopes = List.of("read");
        private String defaultUser = "demo";
        private final Set<Quirk> quirks = new HashSet<>();

        private Builder() {
        }

        /** Interface to bind; {@code 0.0.0.0} for every interface. Default {@code 127.0.0.1}. */
        public Builder host(String host) { this.host = Objects.requireNonNull(host); return this; }

        /** Port to bind; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Registers (or replaces) a confidential client. */
        public Builder client(String clientId, String clientSecret) {
            clients.put(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
            return this;
        }

        /** Removes every registered client, including the default one. */
        public Builder noClients() { clients.clear(); return this; }

        public Builder accessTokenLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("access token lifetime must be positive");
            }
            this.accessTokenLifetime = lifetime;
            return this;
        }

        /** Whether a refresh hands out a new refresh token and invalidates the old one. Default true. */
        public Builder rotateRefreshTokens(boolean rotate) { this.rotateRefreshTokens = rotate; return this; }

        /** Show a one-click consent page instead of approving at once. Default false. */
        public Builder consentPage(boolean consentPage) { this.consentPage = consentPage; return this; }

        /** Refuse authorization requests without an S256 code challenge. Default false. */
        public Builder requirePkce(boolean requirePkce) { this.requirePkce = requirePkce; return this; }

        /** Scopes granted when the request names none. Default {@code read}. */
        public Builder defaultScopes(List<String> scopes) { this.defaultScopes = List.copyOf(scopes); return this; }

        /** The user who approves when the request names none. Default {@code demo}. */
        public Builder defaultUser(String user) { this.defaultUser = Objects.requireNonNull(user); return this; }

        /** Imitates these provider quirks (see {@link Quirk}). Default none. */
        public Builder quirks(Quirk... quirks) {
            this.quirks.clear();
            this.quirks.addAll(Arrays.asList(quirks));
            return this;
        }

        public MockProviderConfig build() {
            if (quirks.contains(Quirk.CLIENT_AUTH_BASIC_ONLY) && quirks.contains(Quirk.CLIENT_AUTH_POST_ONLY)) {
                throw new IllegalArgumentException("basic-only and post-only exclude each other");
            }
            return new MockProviderConfig(this);
        }
    }
}
