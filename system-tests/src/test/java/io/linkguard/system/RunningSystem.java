package io.linkguard.system;

import io.linkguard.launcher.Database;
import io.linkguard.launcher.LinkguardSystem;
import io.linkguard.launcher.Secrets;
import io.linkguard.launcher.SystemConfig;
import io.linkguard.testsupport.PostgresHarness;
import io.linkguard.testsupport.TestDatabase;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The whole system, started once per test JVM from the real fat jars on a fresh database,
 * on free ports (so a developer's running local system is not disturbed), stopped at exit.
 */
final class RunningSystem {

    private static RunningSystem instance;

    final LinkguardSystem system;
    final SystemConfig config;
    final TestDatabase database;

    private RunningSystem(LinkguardSystem system, SystemConfig config, TestDatabase database) {
        this.system = system;
        this.config = config;
        this.database = database;
    }

    static synchronized RunningSystem get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.system.close();
                PostgresHarness.dropDatabase(instance.database);
            }));
        }
        return instance;
    }

    private static RunningSystem start() {
        TestDatabase db = PostgresHarness.createDatabase("system");
        Path repo = Path.of(System.getProperty("linkguard.repo", "..")).toAbsolutePath().normalize();
        int gw = freePort();
        SystemConfig config = new SystemConfig(repo, gw, freePort(), freePort(), freePort(), freePort(),
                "http://localhost:" + gw, repo.resolve("system-tests/target/service-logs"), Secrets.random(), false,
                SystemConfig.ManagementPorts.free());
        try {
            LinkguardSystem system = LinkguardSystem.start(config,
                    Database.external(db.jdbcUrl(), db.username(), db.password()));
            return new RunningSystem(system, config, db);
        } catch (IOException e) {
            PostgresHarness.dropDatabase(db);
            throw new IllegalStateException("The system did not start: " + e.getMessage(), e);
        }
    }

    String gateway() {
        return system.gatewayUrl();
    }

    String url(String service) {
        return system.url(service);
    }

    /** A service's private management base URL (detailed health, probes, metrics). */
    String managementUrl(String service) {
        return system.managementUrl(service);
    }

    /** A connection to the system's database, for asserting what the services stored. */
    Connection db() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    /** {@code SELECT count(*) …} with positional parameters. */
    long count(String sql, Object... params) {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
