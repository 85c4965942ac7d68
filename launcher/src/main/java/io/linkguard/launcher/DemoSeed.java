package io.linkguard.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Seeds the demo tenant through the public API, exactly as a new customer would: sign up,
 * sign in through the dashboard's PKCE flow, create a worker service account. Done once per
 * data directory; the result (including the service account secret, which the API shows only
 * once) is kept in {@code demo.properties} there.
 */
public final class DemoSeed {

    /** Demo login. */
    public static final String DEMO_EMAIL = "demo@linkguard.local";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoSeed() {
    }

    /**
     * @param gatewayUrl the gateway's base URL
     * @param file       where the seeded account is kept
     * @return the demo account
     * @throws IOException when seeding fails
     */
    public static DemoAccount ensure(String gatewayUrl, Path file) throws IOException {
        // Progress is saved after every step, so a run interrupted half-way resumes instead of
        // failing on "email already taken" with a password nobody knows.
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        if (p.getProperty("clientSecret") != null) {
            return account(p);
        }
        if (p.getProperty("password") == null) {
            p.setProperty("email", DEMO_EMAIL);
            p.setProperty("password", randomPassword());
            save(p, file);
        }
        DemoAccount account = create(gatewayUrl, "Demo Org", p.getProperty("email"), p.getProperty("password"), true);
        p.setProperty("orgId", account.orgId());
        p.setProperty("userId", account.userId());
        p.setProperty("clientId", account.clientId());
        p.setProperty("clientSecret", account.clientSecret());
        save(p, file);
        return account;
    }

    private static DemoAccount account(Properties p) {
        return new DemoAccount(p.getProperty("orgId"), p.getProperty("userId"), p.getProperty("email"),
                p.getProperty("password"), p.getProperty("clientId"), p.getProperty("clientSecret"));
    }

    private static void save(Properties p, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Linkguard demo account - generated");
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /**
     * Creates an org with its owner and a worker service account through the public API.
     *
     * @param gatewayUrl gateway base URL
     * @param orgName    org name
     * @param email      owner's login
     * @param password   owner's password
     * @return the account
     * @throws IOException when a step fails
     */
    public static DemoAccount create(String gatewayUrl, String orgName, String email, String password) throws IOException {
        return create(gatewayUrl, orgName, email, password, false);
    }

    private static DemoAccount create(String gatewayUrl, String orgName, String email, String password, boolean mayExist)
            throws IOException {
        int status = postStatus(gatewayUrl + "/api/signup", Map.of("orgName", orgName, "email", email, "password", password));
        if (status != 201 && !(mayExist && status == 409)) {
            throw new IOException("Sign-up answered " + status);
        }
        JsonNode tokens = DashboardLogin.login(gatewayUrl, publicRedirect(gatewayUrl), email, password,
                "connectors:read profiles:write automation:write admin");
        String accessToken = tokens.get("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        String orgId = claims.get("org_id").asText();
        String userId = claims.get("sub").asText();
        JsonNode sa = post(gatewayUrl + "/api/orgs/" + orgId + "/service-accounts", accessToken,
                Map.of("name", "demo-worker", "scopes", List.of("health:report", "tokens:read")), 201);
        return new DemoAccount(orgId, userId, email, password, sa.get("clientId").asText(), sa.get("clientSecret").asText());
    }

    /** The dashboard's redirect URI for a gateway URL. */
    static String publicRedirect(String gatewayUrl) {
        return gatewayUrl.replace("127.0.0.1", "localhost") + "/app/callback";
    }

    /**
     * @param config the local system's configuration
     * @param demo   the seeded account
     * @return what the run command prints once everything is up
     */
    public static String banner(SystemConfig config, DemoAccount demo) {
        String gw = config.publicUrl();
        return """

                ────────────────────────────────────────────────────────────────────────
                 Linkguard is running.   Dashboard: %1$s/

                 Demo login      %2$s / %3$s
                 Demo org        %4$s   (user %5$s)
                 Worker account  client_id=%6$s
                                 client_secret=%7$s
                 Mock provider   http://localhost:%8$d   (dev only)
                 Client registration token (RFC 7591 initial access token): %11$s
                 Logs            %9$s

                 Try it:
                   TOKEN=$(curl -s -u '%6$s:%7$s' -d grant_type=client_credentials \\
                     -d 'scope=health:report tokens:read' %1$s/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                     -d '{"userId":"%5$s","connector":"github","outcome":"failure","errorCode":"invalid_grant"}' \\
                     %1$s/api/health/reports

                 Ctrl-C stops everything; state is kept in %10$s.
                ────────────────────────────────────────────────────────────────────────
                """.formatted(gw, demo.email(), demo.password(), demo.orgId(), demo.userId(), demo.clientId(),
                demo.clientSecret(), config.mockPort(), config.logDir(), config.logDir().getParent(),
                config.secrets().registrationToken());
    }

    private static JsonNode post(String url, String bearer, Object body, int expected) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IOException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    private static int postStatus(String url, Object body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
