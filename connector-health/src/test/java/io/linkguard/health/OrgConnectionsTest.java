package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class OrgConnectionsTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    /** orgA: 5 users with github (2 broken) and 3 of them with slack (1 broken); orgB: 2 broken. */
    final List<UUID> usersA = new ArrayList<>();
    final List<UUID> usersB = new ArrayList<>();
    UUID admin;

    @BeforeAll
    void seed() {
        String w = worker(orgA);
        for (int i = 0; i < 5; i++) {
            UUID u = auth.newUser(orgA);
            usersA.add(u);
            report(w, i < 2 ? failure(u, "github") : success(u, "github"));
            if (i >= 2) {
                report(w, i == 4 ? failure(u, "slack") : success(u, "slack"));
            }
        }
        for (int i = 0; i < 2; i++) {
            UUID u = auth.newUser(orgB);
            usersB.add(u);
            report(worker(orgB), failure(u, "github"));
        }
        admin = auth.newUser(orgA);
    }

    static String failure(UUID u, String connector) {
        return "{\"userId\":\"" + u + "\",\"connector\":\"" + connector + "\",\"outcome\":\"failure\",\"errorCode\":\"invalid_grant\"}";
    }

    static String success(UUID u, String connector) {
        return "{\"userId\":\"" + u + "\",\"connector\":\"" + connector + "\",\"outcome\":\"success\"}";
    }

    HttpResponse<String> get(String token, String path) {
        return exchange(HttpRequest.GET(path).bearerAuth(token));
    }

    JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.code()).as(body(r)).isEqualTo(200);
        return JSON.readTree(body(r));
    }

    String ownerA() {
        return user(admin, orgA, "owner");
    }

    @Test
    void listWhenNeedsReauthThenOnlyTheOrgsBrokenRowsWithTheirState() throws Exception {
        JsonNode body = json(get(ownerA(), "/api/orgs/" + orgA + "/connections?status=needs_reauth"));
        assertThat(body.get("orgId").asText()).isEqualTo(orgA.toString());
        JsonNode items = body.get("items");
        assertThat(items).hasSize(3);
        List<String> rows = new ArrayList<>();
        items.forEach(i -> rows.add(i.get("userId").asText() + "/" + i.get("connector").asText()));
        assertThat(rows).containsExactlyInAnyOrder(usersA.get(0) + "/github", usersA.get(1) + "/github", usersA.get(4) + "/slack");
        JsonNode first = items.get(0);
        assertThat(first.get("status").asText()).isEqualTo("needs_reauth");
        assertThat(first.get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(first.get("lastFailureAt").isNull()).isFalse();
        assertThat(first.has("lastSuccessAt") && first.has("updatedAt") && first.has("authProfileId")).isTrue();
        assertThat(body.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void listWhenStatusAndConnectorThenBothFiltersApply() throws Exception {
        JsonNode slack = json(get(ownerA(), "/api/orgs/" + orgA + "/connections?status=needs_reauth&connector=slack"));
        assertThat(slack.get("items")).hasSize(1);
        assertThat(slack.get("items").get(0).get("userId").asText()).isEqualTo(usersA.get(4).toString());
        assertThat(json(get(ownerA(), "/api/orgs/" + orgA + "/connections?connector=github")).get("items")).hasSize(5);
        assertThat(json(get(ownerA(), "/api/orgs/" + orgA + "/connections?status=connected&connector=slack")).get("items")).hasSize(2);
    }

    @Test
    void listWhenPagedThenEveryRowOnceInKeyOrder() throws Exception {
        for (String filter : List.of("", "&status=needs_reauth", "&connector=github")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode body = json(get(ownerA(), "/api/orgs/" + orgA + "/connections?limit=2" + filter
                        + (cursor == null ? "" : "&cursor=" + cursor)));
                assertThat(body.get("items").size()).isLessThanOrEqualTo(2);
                body.get("items").forEach(i -> seen.add(i.get("userId").asText() + "/" + i.get("connector").asText()));
                cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
                pages++;
            } while (cursor != null && pages < 10);
            int expected = filter.isEmpty() ? 8 : filter.contains("status") ? 3 : 5;
            assertThat(seen).as(filter).hasSize(expected).doesNotHaveDuplicates();
        }
    }

    @Test
    void summaryWhenAdminThenCountsByStatusAndConnectorOfTheOrgOnly() throws Exception {
        JsonNode body = json(get(ownerA(), "/api/orgs/" + orgA + "/connections/summary"));
        assertThat(body.get("total").asLong()).isEqualTo(8);
        assertThat(body.get("byStatus").get("needs_reauth").asLong()).isEqualTo(3);
        assertThat(body.get("byStatus").get("connected").asLong()).isEqualTo(5);
        assertThat(body.get("byStatus").get("disabled").asLong()).isZero();
        assertThat(body.get("byConnector").get("github").get("needs_reauth").asLong()).isEqualTo(2);
        assertThat(body.get("byConnector").get("slack").get("connected").asLong()).isEqualTo(2);
        assertThat(body.get("byConnector").get("slack").get("disabled").asLong()).isZero();
    }

    @Test
    void listWhenMemberOrAdminWithoutScopeOrWorkerThen403() throws Exception {
        String path = "/api/orgs/" + orgA + "/connections";
        for (String token : List.of(user(usersA.get(0), orgA, "member"),
                issuer.userToken(admin, orgA, "owner", "connectors:read profiles:write"), worker(orgA))) {
            HttpResponse<String> r = get(token, path);
            assertThat(r.code()).isEqualTo(403);
            assertThat(JSON.readTree(body(r)).get("type").asText()).endsWith("/forbidden");
            assertThat(get(token, path + "/summary").code()).isEqualTo(403);
        }
        assertThat(exchange(HttpRequest.GET(path)).code()).isEqualTo(401);
    }

    @Test
    void listWhenOtherOrgThen404LikeAnUnknownOrg() throws Exception {
        String adminB = user(auth.newUser(orgB), orgB, "owner");
        HttpResponse<String> other = get(adminB, "/api/orgs/" + orgA + "/connections");
        HttpResponse<String> unknown = get(adminB, "/api/orgs/" + UUID.randomUUID() + "/connections");
        assertThat(other.code()).isEqualTo(404);
        assertThat(JSON.readTree(body(other)).get("detail")).isEqualTo(JSON.readTree(body(unknown)).get("detail"));
        assertThat(get(adminB, "/api/orgs/" + orgA + "/connections/summary").code()).isEqualTo(404);
        // and B's own view shows only B's rows
        assertThat(json(get(adminB, "/api/orgs/" + orgB + "/connections")).get("items")).hasSize(2);
    }

    @Test
    void listWhenMalformedParametersThen400Problem() {
        String base = "/api/orgs/" + orgA + "/connections";
        for (String q : List.of("?status=broken", "?status=needs-reauth", "?limit=0", "?limit=500", "?cursor=abc",
                "?connector=%2F..", "?cursor=aGlzdG9yeQoxMg")) {
            HttpResponse<String> r = get(ownerA(), base + q);
            assertThat(r.code()).as(q).isEqualTo(400);
            assertThat(r.getHeaders().get("Content-Type")).as(q).startsWith("application/problem+json");
            assertThat(body(r)).as(q).doesNotContain("Exception").doesNotContain("SQL");
        }
        assertThat(get(ownerA(), "/api/orgs/nope/connections").code()).isEqualTo(400);
    }
}
