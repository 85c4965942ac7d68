package io.linkguard.refresher;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances share the background work: every due credential is refreshed exactly once per cycle. */
@MicronautTest(transactional = false)
class BackgroundRefreshTest extends RefresherTestSupport {

    static final int CREDENTIALS = 600;

    @Inject
    EmbeddedServer server;

    /** The test's own instance only stores (its job is off); the job runs in two further instances. */
    @Test
    void backgroundWhenTwoInstancesThenEachDueCredentialRefreshedExactlyOnce() {
        String base = "http://127.0.0.1:" + server.getPort();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < CREDENTIALS; i++) {
            String user = "bg-" + i + "-" + System.nanoTime();
            users.add(user);
            // expires in 2 minutes: inside the 5-minute refresh margin, so due now (but not for on-demand callers)
            store(base, user, Instant.now().plusSeconds(120).toString());
        }
        mock.resetCounters();
        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        try (ApplicationContext a = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext();
             ApplicationContext b = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (mock.refreshRequests() < CREDENTIALS && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            // a few more cycles: nothing may be refreshed twice
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        }
        assertThat(mock.refreshRequests()).isEqualTo(CREDENTIALS);
        for (String user : users) {
            assertThat(mock.refreshRequests(user)).as(user).isEqualTo(1);
        }
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE next_refresh_at <= now()")).isEqualTo(0L);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE lease_owner IS NOT NULL")).isEqualTo(0L);
    }
}
