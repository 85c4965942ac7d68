package io.linkguard.auth.account;

import io.linkguard.auth.profile.ProfileTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The first owner comes from the bootstrap settings, once, and is flagged until the password changes. */
@MicronautTest(transactional = false)
class BootstrapAdminTest extends ProfileTestSupport {

    private static final String EMAIL = "first-admin@example.test";
    private static final String PASSWORD = "bootstrap-password-1";

    @Inject
    EmbeddedServer server;
    @Inject
    BootstrapAdmin bootstrap;

    @Override
    protected Map<String, String> moreProperties() {
        try {
            Path file = Files.createTempFile("bootstrap", ".txt");
            Files.writeString(file, PASSWORD + "\n");   // as a mounted secret usually ends
            file.toFile().deleteOnExit();
            return Map.of("linkguard.bootstrap-admin.email", EMAIL,
                    "linkguard.bootstrap-admin.password-file", file.toString(),
                    "linkguard.bootstrap-admin.org", "Acme");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private UUID ownerId() {
        return UUID.fromString(one("SELECT u.id::text FROM auth.users u WHERE u.email = ?", EMAIL));
    }

    @Test
    void startupWhenNoOwnerThenTheBootstrapOwnerExistsFlaggedUntilThePasswordChanges() {
        assertThat(count("SELECT count(*) FROM auth.users u JOIN auth.memberships m ON m.user_id = u.id"
                + " JOIN auth.orgs o ON o.id = u.org_id WHERE u.email = ? AND m.role = 'owner' AND o.name = 'Acme'", EMAIL))
                .isEqualTo(1);
        UUID id = ownerId();
        UUID org = UUID.fromString(one("SELECT org_id::text FROM auth.users WHERE id = ?", id));
        Account owner = new Account(org, id, "owner");
        URI me = URI.create(server.getURL() + "/api/me");
        String before = token(owner, "connectors:read");
        assertThat(send("GET", me, before, null).body()).contains("\"passwordChangeRequired\":true");

        URI change = URI.create(server.getURL() + "/api/me/password");
        String body = "{\"currentPassword\":\"%s\",\"newPassword\":\"%s\"}";
        assertThat(send("POST", change, token(owner, "connectors:read"), body.formatted(PASSWORD, "a-new-password-2"))
                .statusCode()).as("needs account:write").isEqualTo(403);
        HttpResponse<String> wrong = send("POST", change, token(owner, "account:write"), body.formatted("not-it-at-all", "a-new-password-2"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(send("POST", change, token(owner, "account:write"), body.formatted(PASSWORD, "short")).statusCode()).isEqualTo(400);
        assertThat(send("POST", change, token(owner, "account:write"), body.formatted(PASSWORD, "a-new-password-2")).statusCode())
                .isEqualTo(204);
        assertThat(one("SELECT password_change_required::text FROM auth.users WHERE id = ?", id)).isEqualTo("false");
        // a password change ends every session of the account: the token from before stops working
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (send("GET", me, before, null).statusCode() != 401 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(50).toNanos());
        }
        assertThat(send("GET", me, before, null).statusCode()).isEqualTo(401);
    }

    @Test
    void startupWhenOwnersExistOrReplicasStartTogetherThenExactlyOneOwnerIsCreated() {
        bootstrap.onStartup(null);   // a restart: an owner exists, nothing happens
        assertThat(count("SELECT count(*) FROM auth.users WHERE email = ?", EMAIL)).isEqualTo(1);

        sql("DELETE FROM auth.orgs");
        CyclicBarrier start = new CyclicBarrier(4);
        List<CompletableFuture<Void>> replicas = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.runAsync(() -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            bootstrap.onStartup(null);
        })).toList();
        replicas.forEach(CompletableFuture::join);
        assertThat(count("SELECT count(*) FROM auth.memberships WHERE role = 'owner'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM auth.orgs")).isEqualTo(1);
    }
}
