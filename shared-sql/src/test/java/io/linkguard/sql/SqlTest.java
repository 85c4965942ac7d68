package io.linkguard.sql;

import io.linkguard.testsupport.PostgresHarness;
import io.linkguard.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The helper's parameter binding and column readers, against a real PostgreSQL (no framework around it). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlTest {

    private TestDatabase db;
    private Sql sql;

    record Item(UUID id, String name, Integer rank, Instant at, List<String> tags) {
    }

    @BeforeAll
    void createTable() {
        db = PostgresHarness.createDatabase("SqlTest");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.username());
        ds.setPassword(db.password());
        sql = new Sql(ds);
        sql.update("CREATE TABLE items (id uuid PRIMARY KEY, name text NOT NULL, rank int, at timestamptz, tags text[])");
    }

    @AfterAll
    void dropDatabase() {
        PostgresHarness.dropDatabase(db);
    }

    private Item item(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Item(Sql.uuid(rs, "id"), rs.getString("name"), Sql.integer(rs, "rank"), Sql.instant(rs, "at"),
                Sql.strings(rs, "tags"));
    }

    @Test
    void bindsAndReadsEveryKindOfValueIncludingNulls() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.updateOne("insert a", "INSERT INTO items VALUES (?, ?, ?, ?, ?)", a, "a", 3, at, new String[] {"x", "y"});
        sql.updateOne("insert b", "INSERT INTO items VALUES (?, ?, ?, ?, ?)", b, "b", null, null, null);

        assertThat(sql.one("SELECT * FROM items WHERE id = ?", this::item, a))
                .isEqualTo(new Item(a, "a", 3, at, List.of("x", "y")));
        assertThat(sql.one("SELECT * FROM items WHERE id = ?", this::item, b))
                .isEqualTo(new Item(b, "b", null, null, List.of()));
        assertThat(sql.one("SELECT * FROM items WHERE id = ?", this::item, UUID.randomUUID())).isNull();
    }

    @Test
    void bindsAUuidArrayAsUuidArray() {
        UUID c = UUID.randomUUID();
        UUID d = UUID.randomUUID();
        sql.update("INSERT INTO items (id, name) VALUES (?, 'c'), (?, 'd')", c, d);

        assertThat(sql.list("SELECT name FROM items WHERE id = ANY (?) ORDER BY name", rs -> rs.getString(1),
                (Object) new UUID[] {c, d})).containsExactly("c", "d");
        assertThat(sql.list("SELECT name FROM items WHERE id IN (?, ?) AND id <> ALL (?)", rs -> rs.getString(1),
                c, d, new UUID[] {c})).containsExactly("d");
        assertThat(sql.list("SELECT name FROM items WHERE id IN (?, ?) AND id <> ALL (?) ORDER BY name",
                rs -> rs.getString(1), c, d, new UUID[0])).containsExactly("c", "d");
    }

    @Test
    void aWriteThatMustChangeOneRowSaysWhenItChangedNone() {
        assertThatThrownBy(() -> sql.updateOne("renaming a missing item", "UPDATE items SET name = 'z' WHERE id = ?",
                UUID.randomUUID()))
                .hasMessageContaining("renaming a missing item").hasMessageContaining("changed 0");
    }

    @Test
    void aUniqueViolationIsRecognisable() {
        UUID e = UUID.randomUUID();
        sql.update("INSERT INTO items (id, name) VALUES (?, 'e')", e);
        assertThatThrownBy(() -> sql.update("INSERT INTO items (id, name) VALUES (?, 'e')", e))
                .isInstanceOfSatisfying(Sql.SqlFailure.class, f -> assertThat(f.isUniqueViolation()).isTrue());
    }
}
