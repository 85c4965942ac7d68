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
        System.out.println("| path | grant | req/s | p50 ms | p99 ms | errors | CPU cores: service / gateway / postgres / wrk |");
        System.out.println("|---|---|---|---|---|---|---|");
        String auth = system.url("auth-server");
        String basic = Base64.getEncoder().encodeToString((tenant.clientId() + ":" + tenant.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        Path cc = staticScript("client-credentials", "POST", "grant_type=client_credentials&scope=health%3Areport",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basic));
        warmUp(auth + "/oauth/token", cc);
        warmUp(system.gatewayUrl() + "/oauth/token", cc);
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

        System.out.println("| path | variant | req/s | p50 ms | p99 ms | errors | CPU cores: service / gateway / postgres / wrk |");
        System.out.println("|---|---|---|---|---|---|---|");
        Path plain = staticScript("status", "GET", null, Map.of("Authorization", "Bearer " + userToken));
        Path cond = staticScript("status-304", "GET", null, Map.of("Authorization", "Bearer " + userToken, "If-None-Match", etag));
        warmUp(system.url("connector-health") + path, plain);
        warmUp(system.gatewayUrl() + path, plain);
        row("direct", "200", wrk(system, "connector-health", system.url("connector-health") + path, plain, List.of()));
        row("gateway", "200", wrk(system, "connector-health", system.gatewayUrl() + path, plain, List.of()));
        row("direct", "304 (If-None-Match)", wrk(system, "connector-health", system.url("connector-health") + path, cond, List.of()));
        row("gateway", "304 (If-None-Match)", wrk(system, "connector-health", system.gatewayUrl() + path, cond, List.of()));

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
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d" + DURATION_S + "s", "--latency",
                "-s", script.toString(), url));
        if (!scriptArgs.isEmpty()) {
            cmd.add("--");
            cmd.addAll(scriptArgs);
        }
        long servicePid = system.processes().stream().filter(p -> p.name().equals(serviceName))
                .findFirst().orElseThrow().pid();
        long gatewayPid = system.processes().stream().filter(p -> p.name().equals("api-gateway")).findFirst().orElseThrow().pid();
        Map<String, Long> before = cpuTicks(servicePid, gatewayPid);
        double childrenBefore = childCpuSeconds();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Long> after = cpuTicks(servicePid, gatewayPid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        for (String k : List.of("service", "gateway", "postgres")) {
            cores.put(k, (after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L)) / 100.0 / seconds);
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

    static void warmUp(String url, Path script) throws Exception {
        // JIT and connection pools: a short unmeasured run first.
        run(List.of("wrk", "-t2", "-c" + CONNECTIONS, "-d5s", "-s", script.toString(), url));
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
        m.put("gateway", ticks(gatewayPid));
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
