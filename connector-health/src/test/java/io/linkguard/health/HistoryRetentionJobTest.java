package io.linkguard.health;

import io.linkguard.health.history.HistoryRetentionJob;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class HistoryRetentionJobTest extends HealthTestBase {

    @Inject
    HistoryRetentionJob job;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new java.util.HashMap<>(super.extraProperties());
        p.put("linkguard.health.history.retention", "30d");
        p.put("linkguard.health.history.batch-size", "7"); // several batches per run
        return p;
    }

    /** Inserts {@code n} transitions recorded {@code daysAgo} days ago for a fresh user. */
    UUID transitions(int n, int daysAgo) throws Exception {
        UUID u = UUID.randomUUID();
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO health.connector_health_history (user_id, connector, org_id, from_status, to_status, observed_at, recorded_at)
                    SELECT '%s', 'github', '%s', 'connected', 'needs_reauth', now() - interval '%d days', now() - interval '%d days'
                      FROM generate_series(1, %d)""".formatted(u, orgA, daysAgo, daysAgo, n));
        }
        return u;
    }

    long count(UUID user) throws Exception {
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM health.connector_health_history WHERE user_id = '" + user + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void runWhenRowsOlderThanRetentionThenOnlyThoseDeleted() throws Exception {
        UUID old = transitions(30, 31);
        UUID recent = transitions(5, 29);
        job.run();
        assertThat(count(old)).isZero();
        assertThat(count(recent)).isEqualTo(5);
    }

    @Test
    void runWhenReplicasRunAtOnceThenEachOldRowDeletedOnceAndNoneWaitsOrFails() throws Exception {
        UUID old = transitions(500, 100);
        UUID recent = transitions(3, 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                return job.run();
            }));
        }
        start.countDown();
        int deleted = 0;
        for (Future<Integer> f : runs) {
            deleted += f.get();
        }
        pool.shutdown();
        // a run may stop early when its batch came up short because another run held rows; a
        // second pass after all finished finds nothing left either way
        deleted += job.run();
        assertThat(deleted).isEqualTo(500);
        assertThat(count(old)).isZero();
        assertThat(count(recent)).isEqualTo(3);
    }
}
