package io.linkguard.testsupport;

import java.util.Map;

/**
 * One fresh, empty PostgreSQL database created for one test class.
 *
 * @param jdbcUrl  JDBC URL of the database
 * @param username user name
 * @param password password (may be empty with trust authentication)
 * @param name     database name
 */
public record TestDatabase(String jdbcUrl, String username, String password, String name) {

    /**
     * @return the Micronaut properties that point the default datasource at this database
     */
    public Map<String, String> datasourceProperties() {
        return Map.of(
                "datasources.default.url", jdbcUrl,
                "datasources.default.username", username,
                "datasources.default.password", password);
    }
}
