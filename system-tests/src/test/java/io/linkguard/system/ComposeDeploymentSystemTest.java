package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.linkguard.launcher.DashboardLogin;
import io.linkguard.launcher.ServiceProcess;
import io.linkguard.launcher.SystemConfig;
import io.linkguard.testsupport.PostgresHarness;
import io.linkguard.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compose deployment as shipped, without a container engine: {@code docker-compose config} (with
 * .env.example and the dev profile switched on) says what each container would get; each service jar
 * then runs with exactly that environment, its compose host names pointing at 127.0.0.1 and its ports
 * moved to free ones, against a fresh database prepared by the same init script the postgres container
 * runs. The first owner comes from the bootstrap settings, signs in through the public URL and
 * connects the mock provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeDeploymentSystemTest {

    /** Start order and each service's port on the compose network. */
    private static final Map<String, Integer> COMPOSE_PORTS = new LinkedHashMap<>();

    static {
        COMPOSE_PORTS.put("mock-provider", 8090);
        COMPOSE_PORTS.put("auth-server", 8081);
        COMPOSE_PORTS.put("connector-health", 8083);
        COMPOSE_PORTS.put("token-refresher", 8082);
        COMPOSE_PORTS.put("api-gateway", 8080);
    }

    private final Path repo = Path.of(System.getProperty("linkguard.repo", "..")).toAbsolutePath().normalize();
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final Map<String, Map<String, String>> composeEnv = new TreeMap<>();
    private TestDatabase db;
    private String publicUrl;
    private int mockPort;

    @BeforeAll
    void startLikeCompose() throws Exception {
        assumeTrue(Commands.onPath("docker-compose"),
                "docker-compose is not installed (.ci/run installs it): the compose deployment is not checked");
        db = PostgresHarness.createDatabase("compose");
        COMPOSE_PORTS.keySet().forEach(s -> ports.put(s, SystemConfig.freePort()));
        mockPort = ports.get("mock-provider");
        publicUrl = "http://localhost:" + ports.get("api-gateway");

        Map<String, Object> services = composeConfig();
        for (String name : List.of("postgres", "auth-server", "connector-health", "token-refresher", "api-gateway", "mock-provider")) {
            assertThat(services).as("compose services with --profile dev").containsKey(name);
        }
        prepareDatabase(service(services, "postgres"));
        Path logs = repo.resolve("system-tests/target/compose-logs");
        for (String name : COMPOSE_PORTS.keySet()) {
            Map<String, Object> svc = service(services, name);
            Map<String, String> env = translate(environment(svc), volumes(svc));
            composeEnv.put(name, env);
            int management = env.containsKey("MANAGEMENT_PORT") ? SystemConfig.freePort() : 0;
            ServiceProcess p = ServiceProcess.start(name, jar(name), ports.get(name), management, env, Map.of(), logs);
            processes.add(p);
            if (name.equals("auth-server")) {
                p.awaitHealthy(Duration.ofMinutes(3));   // the others fetch its keys when they start
            }
        }
        for (ServiceProcess p : processes) {
            p.awaitHealthy(Duration.ofMinutes(3));
        }
    }

    @AfterAll
    void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        if (db != null) {
            PostgresHarness.dropDatabase(db);
        }
    }

    @Test
    void composeWhenStartedAsShippedThenBootstrapOwnerSignsInAtThePublicUrlAndConnectsTheMock() throws Exception {
        Map<String, String> auth = composeEnv.get("auth-server");
        String email = auth.get("LINKGUARD_BOOTSTRAP_ADMIN_EMAIL");
        assertThat(email).as("the bootstrap owner of .env.example").isNotBlank();

        // sign-in: authorization code + PKCE through the gateway, redirect URI and issuer from the public URL alone
        JsonNode tokens = DashboardLogin.login(publicUrl, publicUrl + "/app/callback", email,
                auth.get("LINKGUARD_BOOTSTRAP_ADMIN_PASSWORD"), "connectors:read profiles:write account:write");
        String token = tokens.get("access_token").asText();
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(publicUrl);
        String userId = SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        Http.Response me = Http.get(publicUrl + "/api/me", token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("user").get("email").asText()).isEqualTo(email);
        assertThat(me.json().get("role").asText()).isEqualTo("owner");
        assertThat(me.body()).contains("\"passwordChangeRequired\":true");

        // connect the dev profile's mock provider: the browser is sent to its published address
        Http.Response created = Http.postJson(publicUrl + "/api/auth-profiles", token,
                Map.of("connectorKey", "mock", "profileKind", "oauth_account", "displayName", "My mock"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String connectUrl = created.json().get("connectUrl").asText();
        assertThat(connectUrl).startsWith(publicUrl + "/connect/");
        ConnectFlow.Hops hops = ConnectFlow.follow(connectUrl);
        assertThat(hops.start().status()).as(hops.start().body()).isEqualTo(303);
        assertThat(hops.start().header("Location")).startsWith("http://localhost:" + mockPort + "/authorize?");
        assertThat(Http.query(hops.start().header("Location"))).containsEntry("redirect_uri", publicUrl + "/connect/callback");
        assertThat(hops.callback().status()).as(hops.callback().body()).isEqualTo(302);
        assertThat(hops.callback().header("Location")).isEqualTo(publicUrl + "/app/?connected=mock");

        Http.Response status = Http.get(publicUrl + "/api/connectors/" + userId + "/status", token);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.json().get("connectors").get("mock").get("status").asText()).isEqualTo("connected");
    }

    @Test
    void composeWhenStartedThenEachServiceOwnsOnlyItsSchemaAndSeesOnlyItsSecrets() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT n.nspname, pg_get_userbyid(n.nspowner),
                            (SELECT count(*) FROM pg_class t WHERE t.relnamespace = n.oid AND t.relkind = 'r'
                               AND pg_get_userbyid(t.relowner) <> pg_get_userbyid(n.nspowner))
                       FROM pg_namespace n WHERE n.nspname IN ('auth', 'refresher', 'health') ORDER BY 1""")) {
            Map<String, String> owners = new TreeMap<>();
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getString(2));
                assertThat(rs.getLong(3)).as("tables in %s owned by another role", rs.getString(1)).isZero();
            }
            assertThat(owners).containsExactlyEntriesOf(new TreeMap<>(Map.of("auth", "linkguard_auth",
                    "health", "linkguard_health", "refresher", "linkguard_refresher")));
        }
        assertThat(composeEnv.get("auth-server")).containsEntry("DATABASE_USER", "linkguard_auth");
        assertThat(composeEnv.get("token-refresher")).containsEntry("DATABASE_USER", "linkguard_refresher");
        assertThat(composeEnv.get("connector-health")).containsEntry("DATABASE_USER", "linkguard_health");
        assertThat(composeEnv.get("api-gateway")).doesNotContainKeys("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
                "LINKGUARD_KEY_ENCRYPTION_KEY", "LINKGUARD_TOKEN_KEYS", "LINKGUARD_PROFILE_SECRET_KEYS");
        assertThat(composeEnv.get("auth-server")).doesNotContainKeys("LINKGUARD_TOKEN_KEYS");
        assertThat(composeEnv.get("token-refresher")).doesNotContainKeys("LINKGUARD_KEY_ENCRYPTION_KEY",
                "LINKGUARD_PROFILE_SECRET_KEYS", "LINKGUARD_BOOTSTRAP_ADMIN_PASSWORD");
        assertThat(composeEnv.get("connector-health")).doesNotContainKeys("LINKGUARD_KEY_ENCRYPTION_KEY",
                "LINKGUARD_TOKEN_KEYS", "LINKGUARD_PROFILE_SECRET_KEYS");
    }

    @Test
    void composeWhenConfiguredThenEveryVariableAServiceReadsCanBePassedToIt() throws IOException {
        java.util.regex.Pattern placeholder = java.util.regex.Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        for (String service : List.of("auth-server", "token-refresher", "connector-health", "api-gateway")) {
            Path resources = repo.resolve(service).resolve("src/main/resources");
            java.util.Set<String> read = new java.util.TreeSet<>();
            for (String file : List.of("application.yml", "logback.xml")) {
                java.util.regex.Matcher m = placeholder.matcher(Files.readString(resources.resolve(file)));
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
            // LINKGUARD_ISSUER is left out on purpose: an empty value would replace the issuer that
            // follows LINKGUARD_PUBLIC_URL (deploy/README.md says how to set it)
            read.remove("LINKGUARD_ISSUER");
            assertThat(read).as(service + " reads these").isNotEmpty();
            assertThat(composeEnv.get(service).keySet()).as(service + "'s compose environment").containsAll(read);
        }
    }

    // ---- compose → processes

    /** .env.example with its dev lines switched on, the published ports moved and the fresh database named. */
    private Path envFile() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve(".env.example"))) {
            lines.add(line.matches("# [A-Z_]+=.*") ? line.substring(2) : line);
        }
        lines.add("LINKGUARD_PUBLIC_URL=" + publicUrl);
        lines.add("LINKGUARD_PORT=" + ports.get("api-gateway"));
        lines.add("MOCK_PORT=" + mockPort);
        lines.add("LINKGUARD_PROVIDERS_MOCK_BROWSER_URL=http://localhost:" + mockPort);
        lines.add("POSTGRES_DB=" + db.name());
        Path dir = Files.createDirectories(repo.resolve("system-tests/target/compose-test"));
        return Files.write(dir.resolve("compose.env"), lines);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> composeConfig() throws IOException {
        String yaml = Commands.ok(repo, Map.of(), List.of("docker-compose", "--project-directory", repo.toString(),
                "-f", repo.resolve("docker-compose.yml").toString(), "--env-file", envFile().toString(),
                "--profile", "dev", "config"));
        Map<String, Object> config = new Yaml().load(yaml);
        return (Map<String, Object>) config.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> services, String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new TreeMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    /** The service's bind mounts, container path → host path. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> volumes(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(v).split(":");
            if (parts.length >= 2 && parts[0].startsWith("/")) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    /** Compose host names and ports → 127.0.0.1 and this test's ports; mounted paths → the files in the repo. */
    private Map<String, String> translate(Map<String, String> env, Map<String, String> mounts) {
        URI pg = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            String value = v.replace("//postgres:5432/", "//" + pg.getHost() + ":" + pg.getPort() + "/");
            for (Map.Entry<String, Integer> s : COMPOSE_PORTS.entrySet()) {
                value = value.replace("//" + s.getKey() + ":" + s.getValue(), "//127.0.0.1:" + ports.get(s.getKey()));
            }
            for (Map.Entry<String, String> m : mounts.entrySet()) {
                if (value.startsWith(m.getKey())) {
                    value = m.getValue() + value.substring(m.getKey().length());
                }
            }
            out.put(k, value);
        });
        return out;
    }

    /** Runs the postgres container's init scripts (its mounted initdb directory) against the fresh database. */
    private void prepareDatabase(Map<String, Object> postgres) throws IOException {
        Path initdb = Path.of(volumes(postgres).get("/docker-entrypoint-initdb.d"));
        URI pg = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> env = new HashMap<>(environment(postgres));
        env.put("PGPASSWORD", db.password() == null ? "" : db.password());
        List<Path> scripts;
        try (Stream<Path> files = Files.list(initdb)) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(scripts).as("init scripts in " + initdb).isNotEmpty();
        for (Path script : scripts) {
            Commands.ok(repo, env, List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.getHost(),
                    "-p", Integer.toString(pg.getPort()), "-U", db.username(), "-d", db.name(), "-f", script.toString()));
        }
    }

    private Path jar(String module) {
        Path target = repo.resolve(module).resolve("target");
        Path all = target.resolve(module + "-0.1.0-SNAPSHOT-all.jar");
        return Files.isRegularFile(all) ? all : target.resolve(module + "-0.1.0-SNAPSHOT.jar");
    }
}
