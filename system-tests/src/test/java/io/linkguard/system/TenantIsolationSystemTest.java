package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
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
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        // a 304 has no body: announcing a chunked one makes strict clients wait for it (seen with wrk)
        assertThat(again.header("Transfer-Encoding")).isNull();
    }

    @Test
    void reportsWhenWorkerOfAnotherOrgThen404AsForAnUnknownUserAndNothingWritten() {
        String[] member = a.addMember(sys, "member");
        String[] bMember = b.addMember(sys, "member");
        String unknown = UUID.randomUUID().toString();
        String worker = b.workerToken(sys);
        Http.Response r = Http.postJson(sys.gateway() + "/api/health/reports", worker, report(member[0]));
        Http.Response missing = Http.postJson(sys.gateway() + "/api/health/reports", worker, report(unknown));
        assertSameNotFound("a report for org A's user", r, member[0], missing, unknown);
        // A batch with one user of the worker's own org and one of org A: refused as a whole.
        Http.Response batch = Http.postJson(sys.gateway() + "/api/health/reports", worker,
                List.of(report(bMember[0]), report(member[0])));
        assertThat(batch.status()).as(batch.body()).isEqualTo(404);

        JsonNode s = status(member[1], member[0]).json();
        assertThat(s.get("connectors").size()).isZero();
        assertThat(status(bMember[1], bMember[0]).json().get("connectors").size()).isZero();
        assertThat(sys.count("SELECT count(*) FROM health.connector_health WHERE user_id IN (?, ?)",
                UUID.fromString(member[0]), UUID.fromString(bMember[0]))).isZero();
    }

    static Map<String, Object> report(String userId) {
        return Map.of("userId", userId, "connector", "github", "outcome", "failure", "errorCode", "invalid_grant");
    }

    /** One endpoint about a user, called as {@code (base URL, userId, token)}. */
    private record UserCall(String name, String base, Call call) {
        interface Call {
            Http.Response send(String base, String userId, String token);
        }
    }

    @Test
    void userEndpointsWhenAdminOrMemberOfAnotherOrgThen404ExactlyAsForAnUnknownUser() {
        String[] victim = a.addMember(sys, "member");
        String[] bMember = b.addMember(sys, "member");
        Http.postJson(sys.gateway() + "/api/health/reports", a.workerToken(sys),
                Map.of("userId", victim[0], "connector", "github", "outcome", "success"));
        String health = sys.url("connector-health");
        String auth = sys.url("auth-server");
        UserCall.Call statusCall = (base, id, t) -> Http.get(base + "/api/connectors/" + id + "/status", t);
        UserCall.Call pauseCall = (base, id, t) -> Http.putJson(base + "/api/users/" + id + "/automation-pause", t,
                Map.of("paused", true, "reason", "not yours"));
        UserCall.Call stateCall = (base, id, t) -> Http.get(base + "/api/users/" + id + "/automation-state", t);
        UserCall.Call deleteCall = (base, id, t) -> Http.delete(base + "/api/users/" + id, t);
        // Through the gateway, and at each service directly (every service checks again).
        List<UserCall> calls = List.of(
                new UserCall("GET status", sys.gateway(), statusCall),
                new UserCall("PUT automation-pause", sys.gateway(), pauseCall),
                new UserCall("GET automation-state", sys.gateway(), stateCall),
                new UserCall("DELETE user", sys.gateway(), deleteCall),
                new UserCall("GET status at connector-health", health, statusCall),
                new UserCall("PUT automation-pause at connector-health", health, pauseCall),
                new UserCall("GET automation-state at connector-health", health, stateCall),
                new UserCall("DELETE user at auth-server", auth, deleteCall));
        Map<String, String> callers = Map.of("org B's admin", b.ownerToken, "org B's member", bMember[1]);

        for (UserCall call : calls) {
            for (var caller : callers.entrySet()) {
                String unknown = UUID.randomUUID().toString();
                Http.Response foreign = call.call().send(call.base(), victim[0], caller.getValue());
                Http.Response missing = call.call().send(call.base(), unknown, caller.getValue());
                assertSameNotFound(call.name() + " by " + caller.getKey(), foreign, victim[0], missing, unknown);
            }
        }

        // Nothing happened to the user: still there, still connected, not paused.
        assertThat(sys.count("SELECT count(*) FROM auth.users WHERE id = ?", UUID.fromString(victim[0]))).isEqualTo(1);
        Http.Response own = status(victim[1], victim[0]);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("connectors").get("github").get("status").asText()).isEqualTo("connected");
        JsonNode state = Http.get(sys.gateway() + "/api/users/" + victim[0] + "/automation-state", victim[1]).json();
        assertThat(state.get("userPaused").asBoolean()).isFalse();
        assertThat(state.get("pausedReason").isNull()).isTrue();
    }

    @Test
    void accessTokenWhenWorkerOfAnotherOrgThen404ExactlyAsForAnUnknownConnection() {
        String[] member = a.addMember(sys, "member");
        String profileId = Tenant.connectMock(sys, member[1]);
        String ownWorker = a.workerToken(sys);
        String foreignWorker = b.workerToken(sys);

        for (String base : List.of(sys.gateway(), sys.url("token-refresher"))) {
            Http.Response own = Http.post(base + "/api/connections/" + profileId + "/access-token", ownWorker);
            assertThat(own.status()).as("org A's worker at " + base + ": " + own.body()).isEqualTo(200);
            assertThat(own.json().get("accessToken").asText()).isNotBlank();
            String unknown = UUID.randomUUID().toString();
            Http.Response foreign = Http.post(base + "/api/connections/" + profileId + "/access-token", foreignWorker);
            Http.Response missing = Http.post(base + "/api/connections/" + unknown + "/access-token", foreignWorker);
            assertSameNotFound("org B's worker at " + base, foreign, profileId, missing, unknown);
            assertThat(foreign.body()).doesNotContain(own.json().get("accessToken").asText());
        }
    }

    @Test
    void authProfileWhenAdminOfAnotherOrgThen404ExactlyAsForAnUnknownProfile() {
        String[] member = a.addMember(sys, "member");
        Http.Response created = Tenant.createProfile(sys, member[1], "mock", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String profileId = created.json().get("authProfile").get("id").asText();
        assertThat(Http.get(sys.gateway() + "/api/auth-profiles/" + profileId, a.ownerToken).status())
                .as("org A's owner sees it").isEqualTo(200);

        for (String base : List.of(sys.gateway(), sys.url("auth-server"))) {
            String unknown = UUID.randomUUID().toString();
            assertSameNotFound("GET by org B's admin at " + base,
                    Http.get(base + "/api/auth-profiles/" + profileId, b.ownerToken), profileId,
                    Http.get(base + "/api/auth-profiles/" + unknown, b.ownerToken), unknown);
            assertSameNotFound("DELETE by org B's admin at " + base,
                    Http.delete(base + "/api/auth-profiles/" + profileId, b.ownerToken), profileId,
                    Http.delete(base + "/api/auth-profiles/" + unknown, b.ownerToken), unknown);
        }
        Http.Response still = Http.get(sys.gateway() + "/api/auth-profiles/" + profileId, member[1]);
        assertThat(still.status()).isEqualTo(200);
        assertThat(still.json().get("status").asText()).isEqualTo("pending_auth");
    }

    /**
     * Another org's resource answers exactly as an unknown one: 404 problem+json (never 403), and
     * the same body once the id itself is taken out.
     */
    static void assertSameNotFound(String what, Http.Response foreign, String foreignId, Http.Response missing, String missingId) {
        assertThat(foreign.status()).as(what + ": " + foreign.body()).isEqualTo(404);
        assertThat(missing.status()).as(what + " (unknown id): " + missing.body()).isEqualTo(404);
        assertThat(foreign.header("Content-Type")).as(what).startsWith("application/problem+json")
                .isEqualTo(missing.header("Content-Type"));
        assertThat(foreign.shape(foreignId)).as(what + " body").isEqualTo(missing.shape(missingId));
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
        try (Connection c = sys.db(); Statement st = c.createStatement()) {
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
