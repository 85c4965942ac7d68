package io.linkguard.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class StatusEndpointTest extends HealthTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    UUID userWithReport(UUID org) {
        UUID u = auth.newUser(org);
        report(worker(org), "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"failure\",\"errorCode\":\"invalid_grant\"}");
        return u;
    }

    @Test
    void statusWhenOwnUserThenFullShapeWithStrongEtag() throws Exception {
        UUID u = userWithReport(orgA);
        HttpResponse<String> r = status(user(u, orgA, "member"), u);
        assertThat(r.code()).isEqualTo(200);
        JsonNode body = JSON.readTree(body(r));
        assertThat(body.get("userId").asText()).isEqualTo(u.toString());
        assertThat(body.get("anyNeedsReauth").asBoolean()).isTrue();
        JsonNode github = body.get("connectors").get("github");
        assertThat(github.has("status") && github.has("errorCode") && github.has("lastSuccessAt")
                && github.has("lastFailureAt") && github.has("reconnectUrl")).isTrue();
        assertThat(r.getHeaders().get("ETag")).matches("\"[A-Za-z0-9_-]{27}\"");
        assertThat(r.getHeaders().get("Cache-Control")).isEqualTo("private, no-cache");
    }

    @Test
    void statusWhenIfNoneMatchCurrentThen304WithoutBodyAndAfterChange200() {
        UUID u = userWithReport(orgA);
        String token = user(u, orgA, "member");
        String etag = status(token, u).getHeaders().get("ETag");
        HttpResponse<String> again = exchange(HttpRequest.GET("/api/connectors/" + u + "/status").bearerAuth(token)
                .header("If-None-Match", etag));
        assertThat(again.code()).isEqualTo(304);
        assertThat(body(again)).isEmpty();
        assertThat(again.getHeaders().get("ETag")).isEqualTo(etag);

        report(worker(orgA), "{\"userId\":\"" + u + "\",\"connector\":\"github\",\"outcome\":\"success\"}");
        HttpResponse<String> changed = exchange(HttpRequest.GET("/api/connectors/" + u + "/status").bearerAuth(token)
                .header("If-None-Match", etag));
        assertThat(changed.code()).isEqualTo(200);
        assertThat(changed.getHeaders().get("ETag")).isNotEqualTo(etag);
    }

    @Test
    void statusWhenAdminOfSameOrgThen200() {
        UUID u = userWithReport(orgA);
        UUID admin = auth.newUser(orgA);
        assertThat(status(user(admin, orgA, "admin"), u).code()).isEqualTo(200);
        assertThat(status(user(admin, orgA, "owner"), u).code()).isEqualTo(200);
        // the role alone never widens a token: an admin's token without the admin scope (a third-party app's)
        assertThat(status(issuer.userToken(admin, orgA, "admin", "connectors:read"), u).code()).isEqualTo(403);
    }

    @Test
    void statusWhenOtherMemberOfSameOrgThen403() throws Exception {
        UUID u = userWithReport(orgA);
        UUID other = auth.newUser(orgA);
        HttpResponse<String> r = status(user(other, orgA, "member"), u);
        assertThat(r.code()).isEqualTo(403);
        assertThat(JSON.readTree(body(r)).get("type").asText()).endsWith("/forbidden");
    }

    @Test
    void statusWhenOtherOrgThen404IdenticalToUnknownUser() throws Exception {
        UUID u = userWithReport(orgA);
        UUID adminB = auth.newUser(orgB);
        HttpResponse<String> otherOrg = status(user(adminB, orgB, "admin"), u);
        HttpResponse<String> memberOtherOrg = status(user(adminB, orgB, "member"), u);
        HttpResponse<String> unknown = status(user(adminB, orgB, "admin"), UUID.randomUUID());
        assertThat(otherOrg.code()).isEqualTo(404);
        assertThat(memberOtherOrg.code()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo(404);
        JsonNode a = JSON.readTree(body(otherOrg));
        JsonNode b = JSON.readTree(body(unknown));
        assertThat(a.get("type")).isEqualTo(b.get("type"));
        assertThat(a.get("detail")).isEqualTo(b.get("detail"));
        assertThat(a.get("title")).isEqualTo(b.get("title"));
    }

    @Test
    void statusWhenMalformedIdThen400Problem() throws Exception {
        UUID u = auth.newUser(orgA);
        HttpResponse<String> r = status(user(u, orgA, "member"), "not-a-uuid");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.getContentType().orElseThrow().toString()).isEqualTo("application/problem+json");
        assertThat(body(r)).doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void statusWhenScopeMissingThen403AndWithoutTokenThen401() {
        UUID u = userWithReport(orgA);
        assertThat(status(issuer.userToken(u, orgA, "member", "profiles:write"), u).code()).isEqualTo(403);
        assertThat(exchange(HttpRequest.GET("/api/connectors/" + u + "/status")).code()).isEqualTo(401);
    }

    @Test
    void statusWhenUserHasNoConnectorsThenEmptyMap() throws Exception {
        UUID u = auth.newUser(orgA);
        JsonNode body = JSON.readTree(body(status(user(u, orgA, "member"), u)));
        assertThat(body.get("connectors").size()).isZero();
        assertThat(body.get("anyNeedsReauth").asBoolean()).isFalse();
    }
}
