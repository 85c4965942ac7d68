package io.linkguard.sql;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Explicit SQL for a service's own schema: every statement that carries a concurrency rule
 * is written out where it is used. Joins the surrounding transaction when there is one.
 * Parameters are positional; an {@link Instant} is bound as a timestamp, a {@code String[]} as
 * {@code text[]}, a {@code UUID[]} as {@code uuid[]}, anything else (null included) as itself.
 */
@Singleton
@Connectable
public class Sql {

    /** Maps the current row. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return all rows */
    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** @return the first row, or null */
    @Nullable
    public <T> T one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** @return the update count */
    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /**
     * A write that must change exactly one row: anything else is an error at the write site.
     *
     * @param what a description for the error
     */
    public void updateOne(String what, String sql, Object... params) {
        int n = update(sql, params);
        if (n != 1) {
            throw new DataAccessException(what + ": expected to change 1 row, changed " + n);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof String[] array) {
                Array a = c.createArrayOf("text", array);
                ps.setArray(i + 1, a);
            } else if (p instanceof UUID[] array) {
                // a uuid[] parameter, e.g. "id <> ALL (?)": as text[] it would not compare with a uuid column
                ps.setArray(i + 1, c.createArrayOf("uuid", array));
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** @return the column as an Instant, or null */
    @Nullable
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** @return the column as a UUID, or null */
    @Nullable
    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    /** @return an integer column that may be null (JDBC's getInt answers 0 for null) */
    @Nullable
    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** @return a text[] column as a list */
    public static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    /** A database failure; carries the SQLState for callers that translate constraint violations. */
    public static final class SqlFailure extends DataAccessException {
        private final String sqlState;

        SqlFailure(SQLException cause) {
            super("Database statement failed", cause);
            this.sqlState = cause.getSQLState();
        }

        /** @return the SQLState, e.g. 23505 for a unique violation */
        public String sqlState() {
            return sqlState;
        }

        /** @return whether a unique constraint refused the write */
        public boolean isUniqueViolation() {
            return "23505".equals(sqlState);
        }
    }
}
