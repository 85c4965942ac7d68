package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class HistoryEndpointTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    /** github: (none)→needs_reauth→connected→needs_reauth, then slack: (none)→connected. */
    UUID userWithFourTransitions(UUID org) {
        UUID u = auth.newUser(org);
        String w = worker(org);
        report(w, "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"failure\",\"errorCode\":\"invalid_grant\"}");
        report(w, "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"success\"}");
        report(w, "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"success\"}"); // no transition
        report(w, "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"failure\",\"errorCode\":\"invalid_client\"}");
        report(w, "{\"userId\":\"" + u + "\",\"connector\":\"slack\",\"outcome\":\"success\"}");
        return u;
    }

    HttpResponse<String> history(String token, Object userId, String query) {
        return exchange(HttpRequest.GET("/api/connectors/" + userId + "/history" + query).bearerAuth(token));
    }

    JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(body(r));
    }

    @Test
    void historyWhenOwnUserThenTransitionsNewestFirst() throws Exception {
        UUID u = userWithFourTransitions(orgA);
        HttpResponse<String> r = history(user(u, orgA, "member"), u, "");
        assertThat(r.code()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("userId").asText()).isEqualTo(u.toString());
        assertThat(body.get("nextCursor").isNull()).isTrue();
        JsonNode items = body.get("items");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).get("connector").asText()).isEqualTo("slack");
        assertThat(items.get(0).get("fromStatus").isNull()).isTrue();
        assertThat(items.get(0).get("toStatus").asText()).isEqualTo("connected");
        assertThat(items.get(1).get("fromStatus").asText()).isEqualTo("connected");
        assertThat(items.get(1).get("toStatus").asText()).isEqualTo("needs_reauth");
        assertThat(items.get(1).get("errorCode").asText()).isEqualTo("invalid_client");
        assertThat(items.get(3).get("toStatus").asText()).isEqualTo("needs_reauth");
        assertThat(items.get(3).get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(items.get(0).has("observedAt") && items.get(0).has("recordedAt")).isTrue();
    }

    @Test
    void historyWhenPagedThenEveryEntryOnceAndLastPageHasNoCursor() throws Exception {
        UUID u = userWithFourTransitions(orgA);
        String token = user(u, orgA, "member");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body = json(history(token, u, "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)));
            body.get("items").forEach(i -> seen.add(i.get("connector").asText() + ":" + i.get("toStatus").asText()));
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("slack:connected", "github:needs_reauth", "github:connected", "github:needs_reauth");
    }

    @Test
    void historyWhenConnectorFilterThenOnlyThatConnectorAcrossPages() throws Exception {
        UUID u = userWithFourTransitions(orgA);
        String token = user(u, orgA, "member");
        JsonNode first = json(history(token, u, "?connector=github&limit=2"));
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").findValuesAsText("connector")).containsOnly("github");
        JsonNode second = json(history(token, u, "?connector=github&limit=2&cursor=" + first.get("nextCursor").asText()));
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("fromStatus").isNull()).isTrue();
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(json(history(token, u, "?connector=gitlab")).get("items")).isEmpty();
    }

    @Test
    void historyWhenAdminOfSameOrgThen200AndOtherMember403AndOtherOrg404() throws Exception {
        UUID u = userWithFourTransitions(orgA);
        UUID admin = auth.newUser(orgA);
        assertThat(json(history(user(admin, orgA, "admin"), u, "")).get("items")).hasSize(4);
        HttpResponse<String> member = history(user(auth.newUser(orgA), orgA, "member"), u, "");
        assertThat(member.code()).isEqualTo(403);
        assertThat(json(member).get("type").asText()).endsWith("/forbidden");
        HttpResponse<String> otherOrg = history(user(auth.newUser(orgB), orgB, "owner"), u, "");
        HttpResponse<String> unknown = history(user(auth.newUser(orgB), orgB, "owner"), UUID.randomUUID(), "");
        assertThat(otherOrg.code()).isEqualTo(404);
        assertThat(json(otherOrg).get("detail")).isEqualTo(json(unknown).get("detail"));
        assertThat(history(worker(orgA), u, "").code()).isEqualTo(403);
        assertThat(exchange(HttpRequest.GET("/api/connectors/" + u + "/history")).code()).isEqualTo(401);
    }

    @Test
    void historyWhenMalformedParametersThen400Problem() throws Exception {
        UUID u = userWithFourTransitions(orgA);
        String token = user(u, orgA, "member");
        for (String q : List.of("?limit=0", "?limit=201", "?limit=ten", "?cursor=%25%25%25", "?cursor=abc.def", "?cursor=bm90LWEtY3Vyc29y",
                "?connector=Not%20a%20key")) {
            HttpResponse<String> r = history(token, u, q);
            assertThat(r.code()).as(q).isEqualTo(400);
            assertThat(r.getHeaders().get("Content-Type")).as(q).startsWith("application/problem+json");
            assertThat(body(r)).as(q).doesNotContain("Exception").doesNotContain("SQL");
        }
        assertThat(history(token, "not-a-uuid", "").code()).isEqualTo(400);
        assertThat(json(history(token, u, "?limit=200")).get("items")).hasSize(4);
    }
}
