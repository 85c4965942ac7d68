package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status path and user data through the gateway, from the outside: who may read whose
 * status, pause whose automation, delete whom; and a deleted user leaves no row anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationSystemTest {

    RunningSystem sys;
    Tenant a;
    Tenant b;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        a = Tenant.create(sys);
        b = Tenant.create(sys);
    }

    Http.Response status(String token, String userId) {
        return Http.get(sys.gateway() + "/api/connectors/" + userId + "/status", token);
    }

    @Test
    void statusWhenCallerVariesThenSelfAndAdminSeeOthersGet403Or404() {
        String[] member = a.addMember(sys, "member");
        String[] otherMember = a.addMember(sys, "member");
        String[] bMember = b.addMember(sys, "member");
        assertThat(status(member[1], member[0]).status()).as("self").isEqualTo(200);
        assertThat(status(a.ownerToken, member[0]).status()).as("owner of the same org").isEqualTo(200);
        assertThat(status(otherMember[1], member[0]).status()).as("another member of the same org").isEqualTo(403);
        Http.Response otherOrg = status(b.ownerToken, member[0]);
        Http.Response otherOrgMember = status(bMember[1], member[0]);
        Http.Response unknown = status(b.ownerToken, UUID.randomUUID().toString());
        assertThat(otherOrg.status()).isEqualTo(404);
        assertThat(otherOrgMember.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(otherOrg.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        Http.Response malformed = status(member[1], "not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(status(null, member[0]).status()).isEqualTo(401);
    }

    @Test
    void statusWhenPolledWithEtagThen304() {
        String[] member = a.addMember(sys, "member");
        Http.Response first = status(member[1], member[0]);
        Http.Response again = Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/connectors/" + member[0] + "/status"))
                .header("Authorization", "Bearer " + member[1]).header("If-None-Match", first.header("ETag")).GET());
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void reportsWhenWorkerOfAnotherOrgThen404AndNothingWritten() {
        String[] member = a.addMember(sys, "member");
        Http.Response r = Http.postJson(sys.gateway() + "/api/health/reports", b.workerToken(sys), Map.of(
                "userId", member[0], "connector", "github", "outcome", "failure", "errorCode", "invalid_grant"));
        assertThat(r.status()).isEqualTo(404);
        JsonNode s = status(member[1], member[0]).json();
        assertThat(s.get("connectors").size()).isZero();
    }

    @Test
    void automationPauseWhenSelfThenRecordedAndOtherOrgGets404() {
        String[] member = a.addMember(sys, "member");
        String url = sys.gateway() + "/api/users/" + member[0] + "/automation-pause";
        Http.Response paused = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + member[1])
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"paused\":true,\"reason\":\"holiday\"}")));
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        JsonNode state = Http.get(sys.gateway() + "/api/users/" + member[0] + "/automation-state", member[1]).json();
        assertThat(state.get("effectivePaused").asBoolean()).isTrue();
        assertThat(state.get("pausedBy").asText()).isEqualTo("user");
        Http.Response foreign = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + b.ownerToken)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"paused\":false}")));
        assertThat(foreign.status()).isEqualTo(404);
    }

    @Test
    void deleteUserWhenAdminDeletesThenNoRowOfTheUserRemainsInAnySchema() throws Exception {
        String[] member = a.addMember(sys, "member");
        UUID id = UUID.fromString(member[0]);
        Http.postJson(sys.gateway() + "/api/health/reports", a.workerToken(sys),
                Map.of("userId", member[0], "connector", "github", "outcome", "success"));
        Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/users/" + member[0] + "/automation-pause"))
                .header("Authorization", "Bearer " + member[1]).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"paused\":true}")));
        assertThat(rowsOf(id)).isNotEmpty();

        Http.Response foreign = Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/users/" + member[0]))
                .header("Authorization", "Bearer " + b.ownerToken).DELETE());
        assertThat(foreign.status()).isEqualTo(404);
        Http.Response deleted = Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/users/" + member[0]))
                .header("Authorization", "Bearer " + a.ownerToken).DELETE());
        assertThat(deleted.status()).isEqualTo(204);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> left = rowsOf(id);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            left = rowsOf(id);
        }
        assertThat(left).as("rows of the deleted user in any schema").isEmpty();
    }

    /** Every table in the three schemas with a user column: which still hold the user? */
    List<String> rowsOf(UUID userId) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(sys.database.jdbcUrl(), sys.database.username(), sys.database.password());
             Statement st = c.createStatement()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
                      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                     WHERE c.table_schema IN ('auth', 'refresher', 'health') AND t.table_type = 'BASE TABLE'
                       AND c.data_type = 'uuid' AND (c.column_name IN ('user_id', 'created_by')
                            OR (c.table_name = 'users' AND c.column_name = 'id'))""")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns.size()).as("user columns found in the schemas").isGreaterThan(5);
            for (String[] col : columns) {
                if (col[1].equals("user_deletion_outbox")) {
                    continue; // the record of the deletion itself
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + col[0] + "." + col[1] + " WHERE " + col[2] + " = '" + userId + "'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        found.add(col[0] + "." + col[1]);
                    }
                }
            }
        }
        return found;
    }
}
