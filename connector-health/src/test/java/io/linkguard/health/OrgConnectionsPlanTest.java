package io.linkguard.health;

import io.linkguard.health.org.OrgConnectionsRepository;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's list stays one index range scan at scale: with 100,000 rows in one org, every
 * filter shape's plan walks an index in page order (no Sort node, no scan of the table), both
 * as a custom plan and as the generic plan a prepared statement settles on. Timing lives in
 * bench/ (docs/BENCHMARKS.md), not here.
 */
@MicronautTest(transactional = false)
class OrgConnectionsPlanTest extends HealthTestBase {

    static final int USERS = 25_000;

    @BeforeAll
    void seed() throws Exception {
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            // 25,000 users × 4 connectors in orgA (every 20th broken), and a noisy neighbour org
            st.executeUpdate("""
                    INSERT INTO health.connector_health (user_id, connector, org_id, status, error_code, observed_at, last_success_at)
                    SELECT md5('u' || u)::uuid, k, '%s', CASE WHEN u %% 20 = 0 THEN 'needs_reauth' ELSE 'connected' END,
                           CASE WHEN u %% 20 = 0 THEN 'invalid_grant' END, now(), now()
                      FROM generate_series(1, %d) u, unnest(ARRAY['github', 'google', 'slack', 'notion']) k""".formatted(orgA, USERS));
            st.executeUpdate("""
                    INSERT INTO health.connector_health (user_id, connector, org_id, status, observed_at)
                    SELECT md5('b' || u)::uuid, 'github', '%s', 'needs_reauth', now() FROM generate_series(1, 20000) u""".formatted(orgB));
            st.execute("ANALYZE health.connector_health");
        }
    }

    @Test
    void pageSqlWhenHundredThousandRowsThenIndexScanInPageOrder() throws Exception {
        for (boolean status : new boolean[] {true, false}) {
            for (boolean connector : new boolean[] {true, false}) {
                for (boolean cursor : new boolean[] {true, false}) {
                    assertIndexScan(status, connector, cursor,
                            status ? "connector_health_org_status_idx" : "connector_health_org_user_idx");
                }
            }
        }
    }

    void assertIndexScan(boolean status, boolean connector, boolean cursor, String index) throws Exception {
        String sql = OrgConnectionsRepository.pageSql(status, connector, cursor);
        // the statement's ? placeholders as $n, to PREPARE it and look at both kinds of plan
        StringBuilder prepared = new StringBuilder();
        StringBuilder types = new StringBuilder("uuid");
        StringBuilder args = new StringBuilder("'" + orgA + "'");
        int n = 0;
        for (char ch : sql.toCharArray()) {
            prepared.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
        }
        if (status) {
            types.append(", text");
            args.append(", 'needs_reauth'");
        }
        if (connector) {
            types.append(", text");
            args.append(", 'github'");
        }
        if (cursor) {
            types.append(", uuid, text");
            args.append(", '").append(UUID.nameUUIDFromBytes(new byte[] {1})).append("', 'github'");
        }
        types.append(", int");
        args.append(", 101");
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.execute("SET search_path = health");
            st.execute("PREPARE page(" + types + ") AS " + prepared);
            for (String mode : new String[] {"force_custom_plan", "force_generic_plan"}) {
                st.execute("SET plan_cache_mode = " + mode);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE page(" + args + ")")) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                // An index in page order, no sort, no sequential scan. Which index the planner takes
                // (ours for the org, or the primary key with the org as a filter) depends on the
                // statistics of the moment, so the test does not pin its name.
                assertThat(plan.toString()).as(mode + " " + sql + " (expected " + index + ")\n" + plan)
                        .contains("Index Scan using ")
                        .doesNotContain("Sort")
                        .doesNotContain("Seq Scan");
            }
        }
    }
}
