package io.linkguard.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL the local system uses: the one named by {@code DATABASE_URL}, or an
 * embedded PostgreSQL 15 whose data directory survives restarts.
 */
public final class Database implements AutoCloseable {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private Database(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /**
     * Uses an existing server.
     *
     * @param jdbcUrl  JDBC URL of the database to use
     * @param user     user
     * @param password password
     * @return the database
     */
    public static Database external(String jdbcUrl, String user, String password) {
        return new Database(jdbcUrl, user, password, null);
    }

    /**
     * Starts (or restarts on the same data) an embedded PostgreSQL and makes sure the
     * {@code linkguard} database exists.
     *
     * @param dataDir data directory, kept between runs
     * @param port    port to listen on
     * @return the database
     * @throws IOException when PostgreSQL cannot start
     */
    public static Database embedded(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        String adminUrl = pg.getJdbcUrl("postgres", "postgres");
        try (Connection c = DriverManager.getConnection(adminUrl);
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'linkguard'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE linkguard");
                }
            }
        } catch (SQLException e) {
            pg.close();
            throw new IOException("Could not prepare the embedded database: " + e.getMessage(), e);
        }
        return new Database(pg.getJdbcUrl("postgres", "linkguard"), "postgres", "", pg);
    }

    /** @return the JDBC URL */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user */
    public String user() {
        return user;
    }

    /** @return the password */
    public String password() {
        return password;
    }

    /** @return a short description for the console */
    public String describe() {
        return embedded != null ? "embedded PostgreSQL 15 at " + jdbcUrl : jdbcUrl;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
