package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Who needs to reconnect?" through the gateway: a worker reports outcomes, an admin lists the
 * org's broken connections and reads a user's history; members and other orgs cannot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminViewSystemTest {

    RunningSystem sys;
    Tenant a;
    Tenant b;
    String[] alice;
    String[] bob;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        a = Tenant.create(sys);
        b = Tenant.create(sys);
        alice = a.addMember(sys, "member");
        bob = a.addMember(sys, "member");
        String worker = a.workerToken(sys);
        report(worker, alice[0], "github", "failure", "invalid_grant");
        report(worker, alice[0], "github", "success", null);
        report(worker, alice[0], "github", "failure", "invalid_grant");
        report(worker, alice[0], "slack", "success", null);
        report(worker, bob[0], "github", "success", null);
        report(worker, a.account.userId(), "github", "failure", "invalid_client");
        report(b.workerToken(sys), b.account.userId(), "github", "failure", "invalid_grant");
    }

    void report(String worker, String userId, String connector, String outcome, String errorCode) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("userId", userId, "connector", connector, "outcome", outcome));
        if (errorCode != null) {
            body.put("errorCode", errorCode);
        }
        Http.Response r = Http.postJson(sys.gateway() + "/api/health/reports", worker, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    String connections(String query) {
        return sys.gateway() + "/api/orgs/" + a.account.orgId() + "/connections" + query;
    }

    @Test
    void historyWhenSelfOrAdminThenTransitionsNewestFirstElse403Or404() {
        String url = sys.gateway() + "/api/connectors/" + alice[0] + "/history";
        Http.Response own = Http.get(url, alice[1]);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        JsonNode items = own.json().get("items");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).get("connector").asText()).isEqualTo("slack");
        assertThat(items.get(1).get("toStatus").asText()).isEqualTo("needs_reauth");
        assertThat(items.get(1).get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(items.get(3).get("fromStatus").isNull()).isTrue();

        Http.Response byAdmin = Http.get(url + "?connector=github&limit=2", a.ownerToken);
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(byAdmin.json().get("items")).hasSize(2);
        Http.Response older = Http.get(url + "?connector=github&limit=2&cursor=" + byAdmin.json().get("nextCursor").asText(), a.ownerToken);
        assertThat(older.json().get("items")).hasSize(1);
        assertThat(older.json().get("nextCursor").isNull()).isTrue();

        Http.Response otherMember = Http.get(url, bob[1]);
        assertThat(otherMember.status()).isEqualTo(403);
        assertThat(otherMember.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Http.get(url, b.ownerToken).status()).isEqualTo(404);
        assertThat(Http.get(url, null).status()).isEqualTo(401);
    }

    @Test
    void connectionsWhenAdminThenFiltersByStatusAndConnector() {
        Http.Response broken = Http.get(connections("?status=needs_reauth"), a.ownerToken);
        assertThat(broken.status()).as(broken.body()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        broken.json().get("items").forEach(i -> rows.add(i.get("userId").asText() + "/" + i.get("connector").asText()
                + "/" + i.get("errorCode").asText()));
        assertThat(rows).containsExactlyInAnyOrder(alice[0] + "/github/invalid_grant", a.account.userId() + "/github/invalid_client");

        Http.Response slack = Http.get(connections("?connector=slack"), a.ownerToken);
        assertThat(slack.json().get("items")).hasSize(1);
        assertThat(slack.json().get("items").get(0).get("status").asText()).isEqualTo("connected");
        assertThat(Http.get(connections("?status=needs_reauth&connector=slack"), a.ownerToken).json().get("items")).isEmpty();
        assertThat(Http.get(connections("?status=nope"), a.ownerToken).status()).isEqualTo(400);

        JsonNode summary = Http.get(connections("/summary"), a.ownerToken).json();
        assertThat(summary.get("total").asLong()).isEqualTo(4);
        assertThat(summary.get("byStatus").get("needs_reauth").asLong()).isEqualTo(2);
        assertThat(summary.get("byConnector").get("github").get("connected").asLong()).isEqualTo(1);
    }

    @Test
    void connectionsWhenPagedThenEveryRowOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response r = Http.get(connections("?limit=1" + (cursor == null ? "" : "&cursor=" + cursor)), a.ownerToken);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().get("items").forEach(i -> seen.add(i.get("userId").asText() + "/" + i.get("connector").asText()));
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(4).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void connectionsWhenMemberThen403AndOtherOrgThen404() {
        for (String path : List.of("", "/summary")) {
            Http.Response member = Http.get(connections(path), alice[1]);
            assertThat(member.status()).as(member.body()).isEqualTo(403);
            assertThat(member.json().get("type").asText()).endsWith("/forbidden");
            Http.Response otherOrg = Http.get(connections(path), b.ownerToken);
            assertThat(otherOrg.status()).as(otherOrg.body()).isEqualTo(404);
            assertThat(otherOrg.json().get("detail")).isEqualTo(Http.get(sys.gateway() + "/api/orgs/" + java.util.UUID.randomUUID()
                    + "/connections" + path, b.ownerToken).json().get("detail"));
            assertThat(Http.get(connections(path), null).status()).isEqualTo(401);
        }
        // and the other org's admin sees only their own
        Http.Response own = Http.get(sys.gateway() + "/api/orgs/" + b.account.orgId() + "/connections", b.ownerToken);
        assertThat(own.json().get("items")).hasSize(1);
    }
}
