package io.linkguard.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Finds a PostgreSQL server for tests and creates a fresh database on it per test class.
 *
 * <p>Where the server comes from, in order:</p>
 * <ol>
 *   <li>{@code LINKGUARD_TEST_PG_URL} (a JDBC URL of an administrative database, e.g.
 *       {@code jdbc:postgresql://db:5432/postgres}) with {@code LINKGUARD_TEST_PG_USER} /
 *       {@code LINKGUARD_TEST_PG_PASSWORD};</li>
 *   <li>a server on {@code 127.0.0.1:5432} when one answers (user {@code postgres});</li>
 *   <li>a Testcontainers {@code postgres:15} container when Docker is available.</li>
 * </ol>
 * If none exists the harness fails with a message saying what to do: a test run without a
 * database must never pass by skipping.
 */
public final class PostgresHarness {

    /** Production major version: the Testcontainers image uses the same. */
    public static final String POSTGRES_IMAGE = "postgres:15-alpine";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHarness.class);
    private static volatile Server server;

    private record Server(String adminUrl, String user, String password, String source) {
        String urlFor(String database) {
            int slash = adminUrl.lastIndexOf('/');
            int query = adminUrl.indexOf('?', slash);
            return adminUrl.substring(0, slash + 1) + database + (query >= 0 ? adminUrl.substring(query) : "");
        }
    }

    private PostgresHarness() {
    }

    /**
     * Creates a fresh, empty database.
     *
     * @param label a short label (e.g. the test class name) that makes the database easy to recognise
     * @return the database
     */
    public static TestDatabase createDatabase(String label) {
        Server s = server();
        String name = ("lg_" + label.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT)
                + "_" + UUID.randomUUID().toString().substring(0, 8));
        if (name.length() > 60) {
            name = name.substring(0, 51) + "_" + UUID.randomUUID().toString().substring(0, 8);
        }
        try (Connection c = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + s.source(), e);
        }
        return new TestDatabase(s.urlFor(name), s.user(), s.password(), name);
    }

    /**
     * Drops a database created by {@link #createDatabase(String)}, closing its remaining connections.
     *
     * @param db the database
     */
    public static void dropDatabase(TestDatabase db) {
        Server s = server();
        try (Connection c = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
        } catch (SQLException e) {
            LOG.warn("Could not drop test database {}: {}", db.name(), e.getMessage());
        }
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (PostgresHarness.class) {
                s = server;
                if (s == null) {
                    s = locate();
                    server = s;
                    LOG.info("Tests use PostgreSQL from {}", s.source());
                }
            }
        }
        return s;
    }

    private static Server locate() {
        String url = System.getenv("LINKGUARD_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            return new Server(url, env("LINKGUARD_TEST_PG_USER", "postgres"),
                    env("LINKGUARD_TEST_PG_PASSWORD", ""), "LINKGUARD_TEST_PG_URL (" + url + ")");
        }
        if (reachable("127.0.0.1", 5432)) {
            return new Server("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "",
                    "the local server on 127.0.0.1:5432");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE));
            container.start();
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers (" + POSTGRES_IMAGE + ")");
        }
        throw new IllegalStateException("""
                No PostgreSQL for the tests. Linkguard's tests run against a real PostgreSQL 15:
                  - set LINKGUARD_TEST_PG_URL (and LINKGUARD_TEST_PG_USER / LINKGUARD_TEST_PG_PASSWORD), or
                  - run a server on 127.0.0.1:5432 that user 'postgres' can reach, or
                  - make a Docker engine available so Testcontainers can start postgres:15.""");
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
