package io.linkguard.auth.profile;

import io.linkguard.auth.token.AccessTokenIssuer;
import io.linkguard.testsupport.PostgresTestProperties;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Shared set-up of the profile and connect tests: a fresh database, tokens signed by
 * auth-server's own {@link AccessTokenIssuer} (auth-server validates against its own keys),
 * plain java.net.http calls (redirects are asserted, not followed), and accounts inserted
 * straight into the accounts tables (V1) so the foreign keys hold.
 */
public abstract class ProfileTestSupport extends PostgresTestProperties {

    private static final String KEY_ENCRYPTION_KEY = randomKey();

    protected final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Injected in {@code @MicronautTest} subclasses. */
    @Inject
    protected AccessTokenIssuer accessTokens;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("linkguard.auth.key-encryption-key", KEY_ENCRYPTION_KEY);
        p.put("linkguard.internal-client-secret", "test-internal-client-secret");
        // application.yml names port 8081; tests take a free one so they run beside a live system
        p.put("micronaut.server.port", "-1");
        p.putAll(moreProperties());
        return p;
    }

    protected Map<String, String> moreProperties() {
        return Map.of();
    }

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** An internal token, as token-refresher would present it. */
    protected String internalToken(String clientId) {
        return accessTokens.issue(clientId, clientId, "internal", null, null).token();
    }

    /** A user token with the given role and scopes. */
    protected String token(Account a, String scope) {
        return accessTokens.issue(a.userId().toString(), "linkguard-dashboard", scope, a.orgId(), a.role()).token();
    }

    /** The dashboard's token: owners and admins sign in with the admin scope too. */
    protected String token(Account a) {
        return token(a, "owner".equals(a.role()) || "admin".equals(a.role()) ? "profiles:write admin" : "profiles:write");
    }

    public record Account(UUID orgId, UUID userId, String role) {
    }

    protected Account newOrg(String role) {
        UUID org = UUID.randomUUID();
        sql("INSERT INTO auth.orgs (id, name) VALUES (?, ?)", org, "org-" + org);
        return newUser(org, role);
    }

    protected Account newUser(UUID org, String role) {
        UUID user = UUID.randomUUID();
        sql("INSERT INTO auth.users (id, org_id, email, password_hash) VALUES (?, ?, ?, 'not-a-hash')",
                user, org, user + "@example.test");
        sql("INSERT INTO auth.memberships (org_id, user_id, role) VALUES (?, ?, ?)", org, user, role);
        return new Account(org, user, role);
    }

    /** @return the first column of the first row as text, or null */
    protected String one(String query, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected long count(String query, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected void sql(String statement, Object... args) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(database().jdbcUrl(), database().username(), database().password());
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    // ------------------------------------------------------------ HTTP

    protected HttpResponse<String> send(String method, URI uri, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
