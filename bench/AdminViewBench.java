import io.linkguard.launcher.DashboardLogin;
import io.linkguard.launcher.Database;
import io.linkguard.launcher.DemoAccount;
import io.linkguard.launcher.DemoSeed;
import io.linkguard.launcher.LinkguardSystem;
import io.linkguard.launcher.Secrets;
import io.linkguard.launcher.SystemConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin's view at scale: GET /api/orgs/{orgId}/connections with BENCH_ROWS (100,000) rows in
 * one org (25,000 users × 4 connectors, every 20th broken) and a neighbour org of 20,000 rows.
 * One client walks the list page by page (limit 100, following nextCursor, starting over at the
 * end) through the gateway and prints the latency distribution per filter; a page is what an
 * admin's browser asks for, one at a time. Also the summary. Sequential on purpose: the figure is
 * the latency of a page, not the throughput of the machine.
 */
public class AdminViewBench {

    static final Path REPO = Path.of(System.getProperty("linkguard.repo", ".")).toAbsolutePath().normalize();
    static final String PG_ADMIN = System.getenv().getOrDefault("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final int USERS = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROWS", "100000")) / 4;
    static final int REQUESTS = Integer.parseInt(System.getenv().getOrDefault("BENCH_REQUESTS", "2000"));
    static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Path work = REPO.resolve("bench/results");
        Files.createDirectories(work);
        String dbName = "lg_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + dbName);
        }
        String dbUrl = PG_ADMIN.substring(0, PG_ADMIN.lastIndexOf('/') + 1) + dbName;
        int gw = freePort();
        SystemConfig config = new SystemConfig(REPO, gw, freePort(), freePort(), freePort(), freePort(),
                "http://localhost:" + gw, work.resolve("logs"), Secrets.random(), false);
        LinkguardSystem system = LinkguardSystem.start(config, Database.external(dbUrl, "postgres", ""));
        try {
            String email = "bench-" + UUID.randomUUID() + "@example.test";
            String password = "pw-" + UUID.randomUUID();
            DemoAccount tenant = DemoSeed.create(system.gatewayUrl(), "Bench Org", email, password);
            try (Connection c = DriverManager.getConnection(dbUrl, "postgres", ""); Statement st = c.createStatement()) {
                // rows straight into connector-health's table: 100,000 worker reports would measure the report path
                st.executeUpdate("""
                        INSERT INTO health.connector_health (user_id, connector, org_id, status, error_code, observed_at, last_success_at, last_failure_at)
                        SELECT md5('u' || u)::uuid, k, '%s', CASE WHEN u %% 20 = 0 THEN 'needs_reauth' ELSE 'connected' END,
                               CASE WHEN u %% 20 = 0 THEN 'invalid_grant' END, now(), now() - interval '1 day',
                               CASE WHEN u %% 20 = 0 THEN now() END
                          FROM generate_series(1, %d) u, unnest(ARRAY['github', 'google', 'slack', 'notion']) k""".formatted(tenant.orgId(), USERS));
                st.executeUpdate("""
                        INSERT INTO health.connector_health (user_id, connector, org_id, status, observed_at)
                        SELECT md5('b' || u)::uuid, 'github', gen_random_uuid(), 'needs_reauth', now() FROM generate_series(1, 20000) u""");
                st.execute("ANALYZE health.connector_health");
            }
            String token = DashboardLogin.login(system.gatewayUrl(), config.publicUrl() + "/app/callback", email, password,
                    "connectors:read admin").get("access_token").asText();
            HttpClient http = HttpClient.newHttpClient();
            String base = system.gatewayUrl() + "/api/orgs/" + tenant.orgId() + "/connections";
            System.out.println("# Admin view — " + java.time.OffsetDateTime.now() + ", " + (USERS * 4) + " rows in the org, "
                    + REQUESTS + " sequential requests per line, through the gateway\n");
            System.out.println("| request | pages walked | p50 ms | p90 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|");
            for (String filter : List.of("?status=needs_reauth&limit=100", "?limit=100", "?status=needs_reauth&connector=github&limit=100",
                    "/summary")) {
                walk(http, token, base, filter);
            }
        } finally {
            system.close();
            try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
            }
        }
    }

    static void walk(HttpClient http, String token, String base, String filter) throws Exception {
        // warm-up: JIT, connection pools, the verified-signature cache, the buffer cache
        for (int i = 0; i < 200; i++) {
            get(http, token, base + filter);
        }
        List<Double> ms = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String url = base + filter + (cursor == null ? "" : "&cursor=" + cursor);
            long t0 = System.nanoTime();
            String body = get(http, token, url);
            ms.add((System.nanoTime() - t0) / 1e6);
            Matcher m = NEXT.matcher(body);
            cursor = m.find() ? m.group(1) : null;
            pages++;
        }
        Collections.sort(ms);
        System.out.printf("| GET …/connections%s | %d | %.2f | %.2f | %.2f | %.2f |%n", filter, pages,
                at(ms, 0.50), at(ms, 0.90), at(ms, 0.99), ms.get(ms.size() - 1));
    }

    static String get(HttpClient http, String token, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
