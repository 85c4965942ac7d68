package io.linkguard.testsupport;

import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

/**
 * Base class for {@code @MicronautTest} classes: gives each test class its own fresh
 * database and points the service's default datasource at it. Subclasses add their
 * own properties by overriding {@link #extraProperties()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PostgresTestProperties implements TestPropertyProvider {

    private TestDatabase database;

    /** @return the database of this test class */
    protected TestDatabase database() {
        if (database == null) {
            database = PostgresHarness.createDatabase(getClass().getSimpleName());
        }
        return database;
    }

    /** @return additional properties for this test class's application context */
    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>(database().datasourceProperties());
        // services pin their port in application.yml; tests must not collide with a running local system
        props.put("micronaut.server.port", "-1");
        props.putAll(extraProperties());
        return props;
    }

    @AfterAll
    void dropTestDatabase() {
        if (database != null) {
            PostgresHarness.dropDatabase(database);
        }
    }
}
