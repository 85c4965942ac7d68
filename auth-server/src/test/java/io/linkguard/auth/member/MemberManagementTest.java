package io.linkguard.auth.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.profile.ProfileTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/** Owners and admins manage members and service accounts; an org always keeps an owner. */
@MicronautTest(transactional = false)
class MemberManagementTest extends ProfileTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EmbeddedServer server;

    private URI uri(String path) {
        return URI.create(server.getURL() + path);
    }

    private String admin(Account a) {
        return token(a, "admin");
    }

    private HttpResponse<String> patchRole(Account caller, Account target, String role) {
        return send("PATCH", uri("/api/orgs/" + caller.orgId() + "/members/" + target.userId()), admin(caller),
                "{\"role\":\"" + role + "\"}");
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void listWhenPagedThenEveryMemberOnceWithoutSecrets() throws IOException {
        Account owner = newOrg("owner");
        for (int i = 0; i < 4; i++) {
            newUser(owner.orgId(), i % 2 == 0 ? "member" : "admin");
        }
        newOrg("owner"); // another org's people never show
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = send("GET", uri("/api/orgs/" + owner.orgId() + "/members?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)), admin(owner), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("hash");
            for (JsonNode m : json(r).get("members")) {
                assertThat(seen.add(m.get("userId").asText())).isTrue();
            }
            cursor = json(r).get("nextCursor").isNull() ? null : json(r).get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(5).contains(owner.userId().toString());
        assertThat(pages).isEqualTo(3);
        assertThat(send("GET", uri("/api/orgs/" + owner.orgId() + "/members?cursor=not*base64"), admin(owner), null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void changeRoleWhenAdminTouchesOwnerThen403AndLastOwnerCannotLeave() throws IOException {
        Account owner = newOrg("owner");
        Account admin = newUser(owner.orgId(), "admin");
        Account member = newUser(owner.orgId(), "member");
        assertThat(patchRole(admin, owner, "member").statusCode()).isEqualTo(403);
        assertThat(patchRole(admin, member, "owner").statusCode()).isEqualTo(403);
        HttpResponse<String> promoted = patchRole(admin, member, "admin");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(json(promoted).get("role").asText()).isEqualTo("admin");

        String adminsTokenBefore = admin(admin);
        HttpResponse<String> last = patchRole(owner, owner, "admin");
        assertThat(last.statusCode()).isEqualTo(409);
        assertThat(json(last).get("type").asText()).endsWith("/last-owner");
        assertThat(patchRole(owner, admin, "owner").statusCode()).isEqualTo(200);
        assertThat(patchRole(owner, owner, "member").statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM auth.memberships WHERE org_id = ? AND role = 'owner'", owner.orgId())).isEqualTo(1);
        // a role change ends the member's sessions: tokens naming the old role stop working
        URI someone = uri("/api/orgs/" + owner.orgId() + "/members/" + member.userId());
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (send("PATCH", someone, adminsTokenBefore, "{\"role\":\"member\"}").statusCode() != 401
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(50).toNanos());
        }
        assertThat(send("PATCH", someone, adminsTokenBefore, "{\"role\":\"member\"}").statusCode()).isEqualTo(401);
        Account third = newOrg("owner");
        assertThat(patchRole(third, newUser(third.orgId(), "member"), "superuser").statusCode()).isEqualTo(400);
        assertThat(patchRole(third, newOrg("member"), "admin").statusCode()).isEqualTo(404);
    }

    @Test
    void changeRoleWhenTwoOwnersDemoteEachOtherAtOnceThenExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            Account a = newOrg("owner");
            Account b = newUser(a.orgId(), "owner");
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (Account[] pair : new Account[][] {{a, a}, {b, b}}) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return patchRole(pair[0], pair[1], "member").statusCode();
                }));
            }
            List<Integer> statuses = calls.stream().map(CompletableFuture::join).sorted().toList();
            assertThat(statuses).containsExactly(200, 409);
            assertThat(count("SELECT count(*) FROM auth.memberships WHERE org_id = ? AND role = 'owner'", a.orgId())).isEqualTo(1);
        }
    }

    @Test
    void removeWhenAdminRemovesMemberThenAccountGoneAndOwnersAreProtected() {
        Account owner = newOrg("owner");
        Account admin = newUser(owner.orgId(), "admin");
        Account member = newUser(owner.orgId(), "member");
        Account stranger = newOrg("owner");
        String base = "/api/orgs/" + owner.orgId() + "/members/";
        assertThat(send("DELETE", uri(base + member.userId()), admin(stranger), null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", uri(base + owner.userId()), admin(admin), null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", uri(base + owner.userId()), admin(owner), null).statusCode()).isEqualTo(409);
        assertThat(send("DELETE", uri(base + member.userId()), token(member, "admin connectors:read"), null).statusCode())
                .isEqualTo(403);
        assertThat(send("DELETE", uri(base + member.userId()), admin(admin), null).statusCode()).isEqualTo(204);
        assertThat(count("SELECT count(*) FROM auth.users WHERE id = ?", member.userId())).isZero();
        assertThat(send("DELETE", uri(base + member.userId()), admin(admin), null).statusCode()).isEqualTo(404);
    }

    @Test
    void removeWhenAdminCreatedTheOrgsOAuthAppThenTheAppStaysAndTheirOwnProfilesGo() {
        Account owner = newOrg("owner");
        Account admin = newUser(owner.orgId(), "admin");
        UUID app = UUID.randomUUID();
        UUID personal = UUID.randomUUID();
        String insert = """
                INSERT INTO auth.auth_profiles (id, org_id, created_by, connector_key, provider_key, kind, status,
                                                display_name, slug, shared)
                VALUES (?, ?, ?, 'github', 'github', ?, 'active', 'GitHub', ?, ?)""";
        sql(insert, app, owner.orgId(), admin.userId(), "oauth_app", "org-app", true);
        sql(insert, personal, owner.orgId(), admin.userId(), "oauth_account", "mine", false);
        assertThat(send("DELETE", uri("/api/orgs/" + owner.orgId() + "/members/" + admin.userId()), admin(owner), null)
                .statusCode()).isEqualTo(204);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE id = ? AND created_by IS NULL", app)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM auth.auth_profiles WHERE id = ?", personal)).isZero();
        HttpResponse<String> seen = send("GET", uri("/api/auth-profiles/" + app), token(owner), null);
        assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
    }

    @Test
    void serviceAccountWhenSecretRotatedOrRevokedThenOldSecretRefusedAtOnce() throws IOException {
        Account owner = newOrg("owner");
        String clientId = "sa-" + UUID.randomUUID();
        String secret = Hashes.randomToken();
        sql("""
                INSERT INTO auth.clients (client_id, secret_hash, client_type, name, kind, org_id, grant_types, scopes)
                VALUES (?, ?, 'confidential', 'sync worker', 'service_account', ?, '{client_credentials}', '{tokens:read}')""",
                clientId, Hashes.sha256(secret), owner.orgId());
        String base = "/api/orgs/" + owner.orgId() + "/service-accounts";
        HttpResponse<String> list = send("GET", uri(base), admin(owner), null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get("serviceAccounts").get(0).get("clientId").asText()).isEqualTo(clientId);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("hash");
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        assertThat(send("POST", uri("/api/orgs/" + newOrg("owner").orgId() + "/service-accounts/" + clientId + "/secret"),
                admin(owner), null).statusCode()).isEqualTo(404);
        HttpResponse<String> rotated = send("POST", uri(base + "/" + clientId + "/secret"), admin(owner), null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newSecret = json(rotated).get("clientSecret").asText();
        assertThat(clientCredentials(clientId, secret)).isEqualTo(401);
        assertThat(clientCredentials(clientId, newSecret)).isEqualTo(200);

        assertThat(send("DELETE", uri(base + "/" + clientId), admin(owner), null).statusCode()).isEqualTo(204);
        assertThat(clientCredentials(clientId, newSecret)).isEqualTo(401);
        assertThat(send("DELETE", uri(base + "/" + clientId), admin(owner), null).statusCode()).isEqualTo(404);
    }

    private int clientCredentials(String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(HttpRequest.newBuilder(uri("/oauth/token"))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=tokens:read")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
