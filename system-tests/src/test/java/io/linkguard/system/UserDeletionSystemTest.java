package io.linkguard.system;

import io.linkguard.launcher.DashboardLogin;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a user leaves nothing behind: after {@code DELETE /api/users/{id}} no row of any table
 * in any schema mentions the user's id or email — connections, credentials, health and its
 * history, automation pause, outboxes, sign-in throttling, devices — once the deletion has
 * reached every service.
 */
class UserDeletionSystemTest {

    final RunningSystem sys = RunningSystem.get();

    @Test
    void deleteUserWhenTheyLeftTracesEverywhereThenNoColumnOfAnyTableMentionsThem() throws Exception {
        Tenant t = Tenant.create(sys);
        String email = "leaving-" + UUID.randomUUID() + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        Http.Response added = Http.postJson(sys.gateway() + "/api/orgs/" + t.account.orgId() + "/users", t.ownerToken,
                Map.of("email", email, "password", password, "role", "member"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String userId = added.json().has("userId") ? added.json().get("userId").asText() : added.json().get("id").asText();

        // a wrong password first (sign-in throttling), then a real sign-in (token family, device)
        try {
            DashboardLogin.login(sys.gateway(), sys.config.publicUrl() + "/app/callback", email, "wrong-" + password,
                    "connectors:read");
        } catch (Exception expected) {
            // refused, as it should be
        }
        String token = Tenant.userToken(sys, email, password);
        String profileId = Tenant.connectMock(sys, token);
        String worker = t.workerToken(sys);
        Http.Response fresh = Http.post(sys.gateway() + "/api/connections/" + profileId + "/access-token", worker);
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        Http.Response report = Http.postJson(sys.gateway() + "/api/health/reports", worker,
                Map.of("userId", userId, "connector", "slack", "outcome", "failure", "errorCode", "invalid_grant"));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(Http.putJson(sys.gateway() + "/api/users/" + userId + "/automation-pause", token,
                Map.of("paused", true, "reason", "holiday")).status()).isEqualTo(200);
        assertThat(mentions(userId, email)).as("the user left traces to remove").isNotEmpty();

        Http.Response deleted = Http.delete(sys.gateway() + "/api/users/" + userId, t.ownerToken);
        assertThat(deleted.status()).as(deleted.body()).isIn(200, 202, 204);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> left = mentions(userId, email);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            left = mentions(userId, email);
        }
        assertThat(left).as("columns that still mention the deleted user").isEmpty();
        // and a late report for the deleted user is not applied (the user is unknown now)
        Http.Response late = Http.postJson(sys.gateway() + "/api/health/reports", worker,
                Map.of("userId", userId, "connector", "slack", "outcome", "success"));
        assertThat(late.status()).isEqualTo(404);
        assertThat(mentions(userId, email)).isEmpty();
    }

    /** Every text-like or uuid column of every table in the services' schemas that mentions the id or email. */
    private List<String> mentions(String userId, String email) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = sys.db()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.table_schema, c.table_name, c.column_name
                      FROM information_schema.columns c
                      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                     WHERE t.table_type = 'BASE TABLE'
                       AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
                       AND c.data_type IN ('uuid', 'text', 'character varying', 'json', 'jsonb', 'ARRAY')""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns).as("the scan sees the services' tables").hasSizeGreaterThan(30);
            for (String[] col : columns) {
                String sql = "SELECT count(*) FROM \"" + col[0] + "\".\"" + col[1] + "\" WHERE \"" + col[2]
                        + "\"::text ILIKE ? OR \"" + col[2] + "\"::text ILIKE ?";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, "%" + userId + "%");
                    ps.setString(2, "%" + email + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(col[0] + "." + col[1] + "." + col[2] + " (" + rs.getLong(1) + ")");
                        }
                    }
                }
            }
        }
        return found;
    }
}
