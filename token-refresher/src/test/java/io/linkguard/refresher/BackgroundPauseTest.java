package io.linkguard.refresher;

import io.linkguard.testsupport.Await;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What holds background work back: the automation pause (docs/API.md, "Automation pause") and a
 * provider's request budget.
 */
@MicronautTest(transactional = false)
class BackgroundPauseTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;

    @Test
    void backgroundWhenUserPausedThenTheirCredentialIsLeftAloneAndOthersRefreshed() {
        String base = "http://127.0.0.1:" + server.getPort();
        UUID pausedUser = UUID.randomUUID();
        String due = Instant.now().plusSeconds(120).toString(); // inside the refresh margin
        String heldMockUser = "paused-" + pausedUser;
        String otherMockUser = "active-" + UUID.randomUUID();
        UUID held = store(base, heldMockUser, pausedUser, due);
        UUID other = store(base, otherMockUser, UUID.randomUUID(), due);
        pausedUsers.add(pausedUser.toString());
        mock.resetCounters();

        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        try (ApplicationContext job = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            Await.until("the other user's credential refreshed", Duration.ofSeconds(30),
                    () -> mock.counters().refreshRequestsFor(otherMockUser) >= 1);
            // more cycles: the paused one must stay untouched
            Await.holdsFor("the paused user's credential untouched", Duration.ofSeconds(2),
                    () -> mock.counters().refreshRequestsFor(heldMockUser) == 0);
        }
        assertThat(mock.counters().refreshRequestsFor(otherMockUser)).isEqualTo(1);
        assertThat(mock.counters().refreshRequestsFor(heldMockUser)).isZero();
        assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = '" + other + "'")).isEqualTo(2L);
        assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = '" + held + "'")).isEqualTo(1L);
        // postponed, not re-claimed every cycle; and no lease left behind
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE auth_profile_id = '" + held
                + "' AND next_refresh_at > now() + interval '1 minute' AND lease_owner IS NULL")).isEqualTo(1L);
        // the job asked connector-health once per batch, not once per user
        assertThat(batchPauseQuestions.get()).isPositive();
        assertThat(singlePauseQuestions.get()).isZero();
    }

    @Test
    void backgroundWhenProviderBudgetIsSmallThenRateIsKeptAndHeldBackRowsWait() {
        String base = "http://127.0.0.1:" + server.getPort();
        String due = Instant.now().plusSeconds(120).toString();
        java.util.List<String> mine = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            mine.add("budget-" + i + "-" + UUID.randomUUID());
            store(base, mine.get(i), UUID.randomUUID(), due);
        }
        mock.resetCounters();
        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        jobProps.put("linkguard.refresher.providers.mock.max-requests-per-second", "2");
        long started;
        long sent;
        try (ApplicationContext job = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mock.refreshRequests() < 1 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            started = System.nanoTime();
            LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
            sent = mock.refreshRequests(); // every credential of this class counts: the budget is per provider
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // a bucket of 2 plus 2 per second: never more, however many are due
        assertThat(sent).isBetween(2L, (long) Math.ceil(2 + 2 * seconds) + 1);
        // the rest were held back for a few seconds rather than claimed again on every cycle
        assertThat((Long) column("SELECT count(*) FROM refresher.credentials WHERE version = 1 AND next_attempt_at > now()"))
                .isPositive();
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE lease_owner IS NOT NULL")).isEqualTo(0L);
    }
}
