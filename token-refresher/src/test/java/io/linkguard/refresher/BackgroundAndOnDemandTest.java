package io.linkguard.refresher;

import io.linkguard.testsupport.Await;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker asks for a credential that this replica's background job has claimed but not reached
 * yet: the call must get a refreshed token at once, with one provider request, instead of waiting
 * for the job's lease while the job waits for the call.
 */
@MicronautTest(transactional = false)
class BackgroundAndOnDemandTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;

    @AfterEach
    void noLatency() {
        mock.tokenLatency(Duration.ZERO);
    }

    @Test
    void tokenWhenJobHasClaimedButNotReachedTheCredentialThenCallerRefreshesWithoutWaitingForTheJob() {
        String base = "http://127.0.0.1:" + server.getPort();
        String expiring = Instant.now().plusSeconds(40).toString(); // inside the skew and the margin
        String firstUser = "first-" + UUID.randomUUID();
        String wantedUser = "wanted-" + UUID.randomUUID();
        UUID first = store(base, firstUser, UUID.randomUUID(), expiring);
        UUID wanted = store(base, wantedUser, UUID.randomUUID(), expiring);
        UUID warm = store(base, "warm-" + UUID.randomUUID(), UUID.randomUUID(), Instant.now().plusSeconds(3600).toString());
        // the job takes them in this order, one at a time, each provider answer taking 3 s
        sql("UPDATE refresher.credentials SET next_refresh_at = now() - interval '2 minutes' WHERE auth_profile_id = ?", first);
        sql("UPDATE refresher.credentials SET next_refresh_at = now() - interval '1 minute' WHERE auth_profile_id = ?", wanted);
        mock.tokenLatency(Duration.ofSeconds(3));
        mock.resetCounters();

        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("linkguard.refresher.background.enabled", "true");
        props.put("linkguard.refresher.background.interval", "300ms");
        props.put("linkguard.refresher.background.concurrency", "1");
        try (EmbeddedServer replica = ApplicationContext.run(EmbeddedServer.class, props)) {
            String replicaUrl = "http://127.0.0.1:" + replica.getPort();
            // warm the replica's request path (JWKS, connections) before its job's first run (5 s after start),
            // so the call below reaches it while the job is still busy with the first credential
            assertThat(call(replicaUrl, "POST", "/api/connections/" + warm + "/access-token", worker(), null).status())
                    .isEqualTo(200);
            Await.until("the job claimed the credential", Duration.ofSeconds(30),
                    () -> column("SELECT lease_owner FROM refresher.credentials WHERE auth_profile_id = ?", wanted) != null);

            Response r = call(replicaUrl, "POST", "/api/connections/" + wanted + "/access-token", worker(), null);

            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(mock.isAccessTokenActive(field(r.body(), "accessToken"))).as("a freshly refreshed token").isTrue();
            assertThat(Instant.parse(field(r.body(), "expiresAt"))).isAfter(Instant.now().plusSeconds(600));
            Await.holdsFor("the job's later cycles do not refresh it again", Duration.ofSeconds(2),
                    () -> mock.refreshRequests(wantedUser) == 1);
        }
        assertThat(mock.refreshRequests(wantedUser)).isEqualTo(1);
        assertThat(mock.refreshRequests(firstUser)).isEqualTo(1);
    }
}
