// Benchmark driver, run by bench/run.sh with the launcher's shaded jar on the class path:
//   java -cp launcher/target/launcher-0.1.0-SNAPSHOT-all.jar bench/LinkguardBench.java <scenario>
// It starts the real system (fat jars as processes) on a fresh database on the same machine,
// creates a tenant through the public API, drives load with wrk (keep-alive connections),
// and prints requests/s, p50/p99 and where the CPU went (service, PostgreSQL, load generator).

import io.linkguard.launcher.DashboardLogin;
import io.linkguard.launcher.Database;
import io.linkguard.launcher.DemoAccount;
import io.linkguard.launcher.DemoSeed;
import io.linkguard.launcher.LinkguardSystem;
import io.linkguard.launcher.Secrets;
import io.linkguard.launcher.ServiceProcess;
import io.linkguard.launcher.SystemConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class LinkguardBench {

    static final Path REPO = Path.of(System.getProperty("linkguard.repo", ".")).toAbsolutePath().normalize();
    static final Path WORK = REPO.resolve("bench/results");
    static final int DURATION_S = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
    static final int CONNECTIONS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONNECTIONS", "32"));
    static final String PG_ADMIN = System.getenv().getOrDefault("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "all";
        Files.createDirectories(WORK);
        String dbName = "lg_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + dbName);
        }
        String dbUrl = PG_ADMIN.substring(0, PG_ADMIN.lastIndexOf('/') + 1) + dbName;
        int gw = freePort();
        SystemConfig config = new SystemConfig(REPO, gw, freePort(), freePort(), freePort(), freePort(),
                "http://localhost:" + gw, WORK.resolve("logs"), Secrets.random(), false);
        LinkguardSystem system = LinkguardSystem.start(config, Database.external(dbUrl, "postgres", ""));
        try {
            System.out.println("# Linkguard benchmarks — " + java.time.OffsetDateTime.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, wrk -t2 -c" + CONNECTIONS + " -d" + DURATION_S + "s");
            String email = "bench-" + UUID.randomUUID() + "@example.test";
            String password = "pw-" + UUID.randomUUID();
            DemoAccount tenant = DemoSeed.create(system.gatewayUrl(), "Bench Org", email, password);
            if (scenario.equals("startup") || scenario.equals("all")) {
                startupScenario(system);
            }
            if (scenario.equals("token") || scenario.equals("all")) {
                tokenScenario(system, config, tenant, email, password);
            }
            if (scenario.equals("status") || scenario.equals("all")) {
                statusScenario(system, config, tenant, email, password, dbUrl);
            }
            if (scenario.equals("keycloak")) {
                keycloakScenario(system, config, email, password, dbName);
            }
        } finally {
            system.close();
            try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
            }
        }
    }

    // ---------------------------------------------------------------- start-up and idle memory
    static void startupScenario(LinkguardSystem system) throws Exception {
        System.out.println("\n## Start-up time and idle memory (JVM flags of the launcher: -XX:+UseSerialGC -Xmx256m)\n");
        System.out.println("| service | start-up (Micronaut's own figure) | RSS after 10 s idle |");
        System.out.println("|---|---|---|");
        // Idle means idle: let the services settle after boot and seeding.
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(10).toNanos());
        Pattern started = Pattern.compile("Startup completed in (\\d+)ms");
        for (ServiceProcess p : system.processes()) {
            // the log file is appended to across runs: this run's start is the last one in it
            Matcher m = started.matcher(Files.readString(p.log()));
            String startup = "n/a (not a Micronaut app)";
            while (m.find()) {
                startup = m.group(1) + " ms";
            }
            long rssKb = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
            System.out.printf("| %s | %s | %d MiB |%n", p.name(), startup, rssKb / 1024);
        }
    }

    // ---------------------------------------------------------------- token endpoint
    static void tokenScenario(LinkguardSystem system, SystemConfig config, DemoAccount tenant, String email,
                              String password) throws Exception {
        System.out.println("\n## Token endpoint (auth-server)\n");
        String auth = system.url("auth-server");
        String basic = Base64.getEncoder().encodeToString((tenant.clientId() + ":" + tenant.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        Path cc = staticScript("client-credentials", "POST", "grant_type=client_credentials&scope=health%3Areport",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basic));
        warmUp(auth + "/oauth/token", cc);
        warmUp(system.gatewayUrl() + "/oauth/token", cc);
        System.out.println();
        System.out.println("| path | grant | req/s | p50 ms | p99 ms | errors | CPU cores: service / gateway / postgres / wrk |");
        System.out.println("|---|---|---|---|---|---|---|");
        String redirect = config.publicUrl() + "/app/callback";
        for (String[] target : List.of(new String[] {"direct", auth}, new String[] {"gateway", system.gatewayUrl()})) {
            Path tokens = WORK.resolve("refresh-tokens-" + target[0] + ".txt");
            // spare chains: wrk drops an in-flight request when it reconnects, and that chain is lost
            Files.write(tokens, chains(system.gatewayUrl(), redirect, email, password, CONNECTIONS + CONNECTIONS / 2));
            Result r = wrk(system, "auth-server", target[1] + "/oauth/token", REPO.resolve("bench/refresh.lua"),
                    List.of(tokens.toString(), "2", DashboardLogin.CLIENT_ID));
            row(target[0], "refresh_token (rotating)", r);
        }
        for (String[] target : List.of(new String[] {"direct", auth}, new String[] {"gateway", system.gatewayUrl()})) {
            row(target[0], "client_credentials", wrk(system, "auth-server", target[1] + "/oauth/token", cc, List.of()));
        }
    }

    static List<String> chains(String gateway, String redirect, String email, String password, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> DashboardLogin.login(gateway, redirect, email, password, "connectors:read")
                        .get("refresh_token").asText()));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- refresh grant beside Keycloak
    /**
     * The rotating refresh generator against a Keycloak that bench/keycloak.sh started on the same
     * PostgreSQL (it passes its token endpoint, client, user and pid in KC_* variables), against
     * auth-server directly and through the gateway: each warmed up, then interleaved round by round,
     * so both products see the same machine at the same time.
     */
    static void keycloakScenario(LinkguardSystem system, SystemConfig config, String email, String password,
                                 String dbName) throws Exception {
        Map<String, String> env = System.getenv();
        String kcUrl = env.get("KC_TOKEN_URL");
        String kcClient = env.get("KC_CLIENT_ID");
        String kcSecret = env.get("KC_CLIENT_SECRET");
        long kcPid = Long.parseLong(env.get("KC_PID"));
        int rounds = Integer.parseInt(env.getOrDefault("BENCH_ROUNDS", "2"));
        int nChains = CONNECTIONS + CONNECTIONS / 2;
        String redirect = config.publicUrl() + "/app/callback";
        Path lua = REPO.resolve("bench/refresh.lua");
        record Target(String name, String url, long serverPid, long gatewayPid, String db, List<String> luaArgs,
                      java.util.concurrent.Callable<List<String>> chains) {
            /** The generator's arguments: a fresh set of chains, then the client. */
            List<String> freshChains() throws Exception {
                List<String> args = new ArrayList<>(List.of(chainFile(name, chains.call()).toString()));
                args.addAll(luaArgs);
                return args;
            }
        }
        List<Target> targets = List.of(
                new Target("Keycloak " + env.get("KC_VERSION"), kcUrl, kcPid, 0, env.get("KC_DB"), List.of("2", kcClient, kcSecret),
                        () -> keycloakChains(kcUrl, kcClient, kcSecret, env.get("KC_USERNAME"), env.get("KC_PASSWORD"), nChains)),
                new Target("Linkguard direct", system.url("auth-server") + "/oauth/token", pid(system, "auth-server"), 0, dbName,
                        List.of("2", DashboardLogin.CLIENT_ID),
                        () -> chains(system.gatewayUrl(), redirect, email, password, nChains)),
                new Target("Linkguard via gateway", system.gatewayUrl() + "/oauth/token", pid(system, "auth-server"),
                        pid(system, "api-gateway"), dbName, List.of("2", DashboardLogin.CLIENT_ID),
                        () -> chains(system.gatewayUrl(), redirect, email, password, nChains)));

        System.out.println("\n## Refresh grant: Linkguard and Keycloak side by side\n");
        System.out.println("Keycloak " + env.get("KC_VERSION") + " on " + env.get("KC_RUNTIME") + " (kc.sh defaults: -Xms64m -Xmx512m, G1),"
                + " Linkguard on Java " + Runtime.version() + "; " + rounds + " rounds of " + DURATION_S + " s per target, "
                + nChains + " chains on " + CONNECTIONS + " connections.\n");
        // every target warmed the same way: the first seconds of any JVM measure its compiler, not the product
        StringBuilder warm = new StringBuilder("Warm-up (unmeasured " + WARM_UP_ROUND_S + " s rounds of the same generator until two in"
                + " a row agree within 5 %, at most " + WARM_UP_MAX_S + " s; refreshes/s per round):");
        for (Target t : targets) {
            warm.append(' ').append(t.name()).append(':').append(untilSteady(WARM_UP_ROUND_S,
                    () -> wrk(t.serverPid(), t.gatewayPid(), WARM_UP_ROUND_S, t.url(), lua, t.freshChains()).rps)).append(';');
        }
        System.out.println(warm + "\n");
        System.out.println("| round | target | refreshes/s | p50 ms | p99 ms | errors | refused | starved | CPU cores: server / gateway / postgres / wrk |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        Map<String, double[]> totals = new LinkedHashMap<>(); // requests, seconds
        List<double[]> ratios = new ArrayList<>();
        Map<String, String> writes = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            double[] rps = new double[targets.size()];
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                List<String> chains = t.freshChains();
                Map<String, long[]> before = round == 1 ? settledWrites(t.db()) : null;
                Result r = wrk(t.serverPid(), t.gatewayPid(), DURATION_S, t.url(), lua, chains);
                if (before != null) {
                    writes.put(t.name(), perRequest(before, settledWrites(t.db()), r.requests));
                }
                rps[i] = r.rps;
                totals.merge(t.name(), new double[] {r.requests, r.requests / r.rps}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
                System.out.printf("| %d | %s | %.0f | %.2f | %.2f | %d | %d | %d | %.2f / %s / %.2f / %.2f |%n", round, t.name(), r.rps,
                        r.p50, r.p99, r.errors, r.chainFailures, r.starved, r.cores.getOrDefault("service", 0.0),
                        r.cores.containsKey("gateway") ? String.format("%.2f", r.cores.get("gateway")) : "—",
                        r.cores.getOrDefault("postgres", 0.0), r.cores.getOrDefault("wrk", 0.0));
            }
            ratios.add(rps);
        }
        System.out.println("\n| round | Linkguard direct ÷ Keycloak | Linkguard via gateway ÷ Keycloak |");
        System.out.println("|---|---|---|");
        for (int i = 0; i < ratios.size(); i++) {
            double[] r = ratios.get(i);
            System.out.printf("| %d | %.2f× | %.2f× |%n", i + 1, r[1] / r[0], r[2] / r[0]);
        }
        double[] all = targets.stream().mapToDouble(t -> totals.get(t.name())[0] / totals.get(t.name())[1]).toArray();
        System.out.printf("| all rounds (requests ÷ seconds) | %.2f× (%.0f vs %.0f/s) | %.2f× (%.0f vs %.0f/s) |%n",
                all[1] / all[0], all[1], all[0], all[2] / all[0], all[2], all[0]);
        System.out.println("\n| goal | target | measured | |");
        System.out.println("|---|---|---|---|");
        goal("refresh grant, Linkguard directly ÷ Keycloak", "≥ 6×", String.format("%.2f×", all[1] / all[0]), all[1] >= 6 * all[0]);
        goal("refresh grant, through the gateway ÷ Keycloak", "≥ 5×", String.format("%.2f×", all[2] / all[0]), all[2] >= 5 * all[0]);
        System.out.println("\nWhat each side wrote to PostgreSQL per refresh (round 1; pg_stat_database / pg_stat_user_tables"
                + " of its own database, read after the statistics settled; background work of the system included):\n");
        System.out.println("| target | per refresh |");
        System.out.println("|---|---|");
        writes.forEach((name, w) -> System.out.printf("| %s | %s |%n", name, w));
    }

    static Path chainFile(String target, List<String> tokens) throws IOException {
        Path p = WORK.resolve("refresh-tokens-" + target.replaceAll("\\W+", "-") + ".txt");
        Files.write(p, tokens);
        return p;
    }

    /** Initial refresh tokens for Keycloak: one password grant (and so one user session) per chain. */
    static List<String> keycloakChains(String tokenUrl, String clientId, String secret, String user, String password, int n)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=" + enc(clientId) + "&client_secret=" + enc(secret) + "&username=" + enc(user)
                + "&password=" + enc(password);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IOException("Keycloak password grant answered " + r.statusCode() + ": " + r.body());
            }
            out.add(m.group(1));
        }
        return out;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Commits and rows inserted/updated/deleted per table of one database. PostgreSQL publishes a
     * backend's counters at most once a second while busy and 10 s after it goes idle, so the
     * reading waits 11 s for the counters of the previous work to arrive.
     */
    static Map<String, long[]> settledWrites(String db) throws Exception {
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(11).toNanos());
        String url = PG_ADMIN.substring(0, PG_ADMIN.lastIndexOf('/') + 1) + db;
        Map<String, long[]> m = new java.util.TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                m.put(" commits", new long[] {rs.getLong(1), 0, 0});
            }
            try (var rs = st.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    m.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return m;
    }

    static String perRequest(Map<String, long[]> before, Map<String, long[]> after, long requests) {
        List<String> parts = new ArrayList<>();
        after.forEach((table, a) -> {
            long[] b = before.getOrDefault(table, new long[3]);
            double ins = (a[0] - b[0]) / (double) requests, upd = (a[1] - b[1]) / (double) requests, del = (a[2] - b[2]) / (double) requests;
            if (table.equals(" commits")) {
                parts.add(String.format("%.2f commits", ins));
            } else if (ins + upd + del >= 0.01) {
                List<String> rows = new ArrayList<>();
                if (ins >= 0.005) {
                    rows.add(String.format("%.2f inserted", ins));
                }
                if (upd >= 0.005) {
                    rows.add(String.format("%.2f updated", upd));
                }
                if (del >= 0.005) {
                    rows.add(String.format("%.2f deleted", del));
                }
                parts.add("`" + table + "` " + String.join(", ", rows));
            }
        });
        return String.join("; ", parts);
    }

    // ---------------------------------------------------------------- status poll
    static void statusScenario(LinkguardSystem system, SystemConfig config, DemoAccount tenant, String email,
                               String password, String dbUrl) throws Exception {
        System.out.println("\n## Status poll (GET /api/connectors/{userId}/status)\n");
        String userToken = DashboardLogin.login(system.gatewayUrl(), config.publicUrl() + "/app/callback", email,
                password, "connectors:read").get("access_token").asText();
        // Give the user a few connectors so the body is realistic.
        String worker = clientCredentials(system.gatewayUrl(), tenant);
        for (String connector : List.of("github", "google", "slack")) {
            post(system.gatewayUrl() + "/api/health/reports", worker, "{\"userId\":\"" + tenant.userId()
                    + "\",\"connector\":\"" + connector + "\",\"outcome\":\"success\"}");
        }
        String path = "/api/connectors/" + tenant.userId() + "/status";
        HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.gatewayUrl() + path))
                .header("Authorization", "Bearer " + userToken).build(), HttpResponse.BodyHandlers.ofString());
        String etag = first.headers().firstValue("ETag").orElse("\"none\"");

        Path plain = staticScript("status", "GET", null, Map.of("Authorization", "Bearer " + userToken));
        Path cond = staticScript("status-304", "GET", null, Map.of("Authorization", "Bearer " + userToken, "If-None-Match", etag));
        warmUp(system.url("connector-health") + path, plain);
        warmUp(system.gatewayUrl() + path, plain);
        System.out.println();
        System.out.println("| path | variant | req/s | p50 ms | p99 ms | errors | CPU cores: service / gateway / postgres / wrk |");
        System.out.println("|---|---|---|---|---|---|---|");
        Result direct200 = wrk(system, "connector-health", system.url("connector-health") + path, plain, List.of());
        row("direct", "200", direct200);
        Result gateway200 = wrk(system, "connector-health", system.gatewayUrl() + path, plain, List.of());
        row("gateway", "200", gateway200);
        Result direct304 = wrk(system, "connector-health", system.url("connector-health") + path, cond, List.of());
        row("direct", "304 (If-None-Match)", direct304);
        Result gateway304 = wrk(system, "connector-health", system.gatewayUrl() + path, cond, List.of());
        row("gateway", "304 (If-None-Match)", gateway304);

        System.out.println("\nFixed rate through the gateway (hey, 2,000 req/s offered = 50 workers × 40 req/s, " + DURATION_S + " s):\n");
        Process hey = new ProcessBuilder("hey", "-z", DURATION_S + "s", "-c", "50", "-q", "40",
                "-H", "Authorization: Bearer " + userToken, system.gatewayUrl() + path).redirectErrorStream(true).start();
        String out = new String(hey.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        hey.waitFor();
        System.out.println("```");
        for (String line : out.split("\n")) {
            if (line.contains("Requests/sec") || line.contains("50% in") || line.contains("99% in") || line.contains("[200]")
                    || line.contains("Average") || line.contains("Slowest")) {
                System.out.println(line.trim());
            }
        }
        System.out.println("```");
        Matcher p99 = Pattern.compile("99% in ([0-9.]+) secs").matcher(out);
        double heyP99 = p99.find() ? Double.parseDouble(p99.group(1)) * 1000 : Double.NaN;
        Matcher ok = Pattern.compile("\\[200]\\s+(\\d+) responses").matcher(out);
        long heyOk = ok.find() ? Long.parseLong(ok.group(1)) : 0;
        Matcher all = Pattern.compile("\\[\\d+]\\s+(\\d+) responses").matcher(out);
        long heyAll = 0;
        while (all.find()) {
            heyAll += Long.parseLong(all.group(1));
        }
        boolean heyErrors = heyAll != heyOk || out.contains("Error distribution");

        System.out.println("\nAgainst the goals (same run):\n");
        System.out.println("| goal | target | measured | |");
        System.out.println("|---|---|---|---|");
        goal("status poll directly at connector-health (200)", "≥ 4,000 req/s", String.format("%.0f req/s", direct200.rps()),
                direct200.rps() >= 4000);
        goal("through the gateway ÷ directly (200)", "≥ 0.80", String.format("%.2f", gateway200.rps() / direct200.rps()),
                gateway200.rps() >= 0.8 * direct200.rps());
        goal("through the gateway ÷ directly (304)", "≥ 0.80", String.format("%.2f", gateway304.rps() / direct304.rps()),
                gateway304.rps() >= 0.8 * direct304.rps());
        goal("304s through the gateway vs 200s", "at least as fast", String.format("%.0f vs %.0f req/s", gateway304.rps(),
                gateway200.rps()), gateway304.rps() >= gateway200.rps());
        goal("2,000 req/s offered through the gateway: p99, errors", "< 20 ms, none", String.format("%.1f ms, %s",
                heyP99, heyErrors ? "some" : "none"), heyP99 < 20 && !heyErrors);

        System.out.println("\nCeiling: `pgbench -S` (read-only point selects) on the same PostgreSQL:\n");
        String dbName = dbUrl.substring(dbUrl.lastIndexOf('/') + 1);
        run(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-q", "-s", "10", dbName));
        String pg = run(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-S", "-c", String.valueOf(CONNECTIONS),
                "-j", "2", "-T", String.valueOf(DURATION_S), dbName));
        System.out.println("```");
        for (String line : pg.split("\n")) {
            if (line.startsWith("tps") || line.contains("latency average")) {
                System.out.println(line.trim());
            }
        }
        System.out.println("```");
    }

    // ---------------------------------------------------------------- plumbing
    static void goal(String what, String target, String measured, boolean met) {
        System.out.printf("| %s | %s | %s | %s |%n", what, target, measured, met ? "met" : "**not met**");
    }

    record Result(double rps, double p50, double p99, long requests, long errors, long chainFailures, long starved,
                  Map<String, Double> cores) {
    }

    static void row(String path, String variant, Result r) {
        System.out.printf("| %s | %s | %.0f | %.2f | %.2f | %d%s | %.2f / %.2f / %.2f / %.2f |%n", path, variant, r.rps, r.p50, r.p99,
                r.errors, r.chainFailures + r.starved > 0
                        ? " (refresh refused: " + r.chainFailures + "; sent without a token, chain lost by wrk: " + r.starved + ")" : "",
                r.cores.getOrDefault("service", 0.0), r.cores.getOrDefault("gateway", 0.0),
                r.cores.getOrDefault("postgres", 0.0), r.cores.getOrDefault("wrk", 0.0));
    }

    /** Drives {@code url} (the service itself, or the gateway in front of it) and measures both processes. */
    static Result wrk(LinkguardSystem system, String serviceName, String url, Path script, List<String> scriptArgs)
            throws Exception {
        return wrk(pid(system, serviceName), pid(system, "api-gateway"), DURATION_S, url, script, scriptArgs);
    }

    static long pid(LinkguardSystem system, String name) {
        return system.processes().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().pid();
    }

    /** Drives {@code url} for {@code durationS} seconds and measures the server process (and the gateway's, when there is one: pid > 0). */
    static Result wrk(long servicePid, long gatewayPid, int durationS, String url, Path script, List<String> scriptArgs)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d" + durationS + "s", "--latency",
                "-s", script.toString(), url));
        if (!scriptArgs.isEmpty()) {
            cmd.add("--");
            cmd.addAll(scriptArgs);
        }
        Map<String, Long> before = cpuTicks(servicePid, gatewayPid);
        double childrenBefore = childCpuSeconds();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Long> after = cpuTicks(servicePid, gatewayPid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        for (String k : after.keySet()) { // no gateway entry when no gateway was measured
            cores.put(k, (after.get(k) - before.getOrDefault(k, 0L)) / 100.0 / seconds);
        }
        // wrk has been waited for, so its CPU now shows in this JVM's children accounting.
        cores.put("wrk", (childCpuSeconds() - childrenBefore) / seconds);
        Matcher m = Pattern.compile("RESULT rps=([\\d.]+) p50_ms=([\\d.]+) p99_ms=([\\d.]+) requests=(\\d+) errors=(\\d+)(?: chain_failures=(\\d+) starved=(\\d+))?")
                .matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no result:\n" + out);
        }
        return new Result(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), m.group(6) == null ? 0 : Long.parseLong(m.group(6)),
                m.group(7) == null ? 0 : Long.parseLong(m.group(7)), cores);
    }

    static final int WARM_UP_MAX_S = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_MAX_SECONDS", "90"));
    /** A refresh chain's warm-up round: longer than wrk's 5 s, as every round starts with fresh sign-ins. */
    static final int WARM_UP_ROUND_S = 10;

    /**
     * Unmeasured load until the figure is steady: 5-second rounds until two in a row are within 5 %
     * of each other (at most BENCH_WARMUP_MAX_SECONDS). Five JVMs share two cores, so the JIT needs
     * 30–60 s of load before a service runs its compiled code; a fixed 5 s warm-up measured the
     * compiler, not the service (the first 20-second run of a path came out at a third of its
     * steady figure).
     */
    static void warmUp(String url, Path script) throws Exception {
        String trace = untilSteady(5, () -> {
            String out = run(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d5s", "-s", script.toString(), url));
            Matcher m = Pattern.compile("RESULT rps=([0-9.]+)").matcher(out);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        });
        System.out.println("Warm-up of `" + URI.create(url).getPath() + "` at port " + URI.create(url).getPort()
                + " (req/s per unmeasured 5 s round):" + trace + "  ");
    }

    /**
     * Repeats an unmeasured round until two in a row are within 5 % of each other, at most
     * BENCH_WARMUP_MAX_SECONDS.
     *
     * @param roundSeconds how long one round lasts
     * @param round        runs one round, returns its rate
     * @return each round's rate, space-separated (for the report)
     */
    static String untilSteady(int roundSeconds, java.util.concurrent.Callable<Double> round) throws Exception {
        StringBuilder trace = new StringBuilder();
        double previous = 0;
        for (int elapsed = 0; elapsed < WARM_UP_MAX_S; elapsed += roundSeconds) {
            double rps = round.call();
            trace.append(String.format(" %.0f", rps));
            if (previous > 0 && Math.abs(rps - previous) <= 0.05 * Math.max(rps, previous)) {
                break;
            }
            previous = rps;
        }
        return trace.toString();
    }

    static double childCpuSeconds() {
        // cutime + cstime of this JVM: CPU of the waited-for children (wrk).
        try {
            String[] f = statFields(ProcessHandle.current().pid());
            return (Long.parseLong(f[15]) + Long.parseLong(f[16])) / 100.0;
        } catch (IOException e) {
            return 0;
        }
    }

    static Map<String, Long> cpuTicks(long servicePid, long gatewayPid) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        if (servicePid > 0) {
            m.put("service", ticks(servicePid));
        }
        if (gatewayPid > 0) {
            m.put("gateway", ticks(gatewayPid));
        }
        long pg = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(d.resolve("comm")).trim().equals("postgres")) {
                            pg += ticks(Long.parseLong(name));
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                }
            }
        }
        m.put("postgres", pg);
        return m;
    }

    static long ticks(long pid) throws IOException {
        String[] f = statFields(pid);
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    static String[] statFields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the command name may contain spaces: fields start after the closing parenthesis
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] tail = rest.split(" ");
        String[] fields = new String[tail.length + 2];
        System.arraycopy(tail, 0, fields, 2, tail.length);
        return fields;
    }

    static Path staticScript(String name, String method, String body, Map<String, String> headers) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
        if (body != null) {
            lua.append("wrk.body = \"").append(body).append("\"\n");
        }
        headers.forEach((k, v) -> lua.append("wrk.headers[\"").append(k).append("\"] = '").append(v.replace("'", "\\'")).append("'\n"));
        lua.append(Files.readString(REPO.resolve("bench/summary.lua")));
        Path p = WORK.resolve(name + ".lua");
        Files.writeString(p, lua);
        return p;
    }

    static String clientCredentials(String gateway, DemoAccount t) throws Exception {
        String basic = Base64.getEncoder().encodeToString((t.clientId() + ":" + t.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/oauth/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=health%3Areport")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IOException("client_credentials failed: " + r.body());
        }
        return m.group(1);
    }

    static void post(String url, String bearer, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
