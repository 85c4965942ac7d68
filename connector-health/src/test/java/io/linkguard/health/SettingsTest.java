package io.linkguard.health;

import io.linkguard.testsupport.Startup;
import io.linkguard.health.history.HistoryConfiguration;
import io.linkguard.health.pause.OperatorPauseConfiguration;
import io.linkguard.health.webhook.WebhookSettings;
import io.linkguard.testsupport.PostgresTestProperties;
import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * connector-health's settings: the defaults are the values the service always had, and a missing or
 * malformed value stops start-up with the environment variable to set.
 */
class SettingsTest extends PostgresTestProperties {

    private final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");

    @AfterAll
    void stopIssuer() {
        issuer.close();
    }

    private Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>(getProperties());
        p.putAll(issuer.properties());
        p.put("linkguard.security.revocation.enabled", "false");
        return p;
    }

    @Test
    void startWhenNothingSetThenTheLongstandingDefaults() {
        try (ApplicationContext ctx = ApplicationContext.run(valid(), "test")) {
            WebhookSettings webhooks = ctx.getBean(WebhookSettings.class);
            assertThat(webhooks.allowPrivateTargets()).isFalse();
            assertThat(webhooks.giveUpAfter()).isEqualTo(Duration.ofHours(24));
            assertThat(webhooks.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(webhooks.retention()).isEqualTo(Duration.ofDays(7));
            assertThat(webhooks.maxEndpointsPerOrg()).isEqualTo(20);
            HistoryConfiguration history = ctx.getBean(HistoryConfiguration.class);
            assertThat(history.retention()).isEqualTo(Duration.ofDays(90));
            assertThat(history.batchSize()).isEqualTo(1000);
            OperatorPauseConfiguration operator = ctx.getBean(OperatorPauseConfiguration.class);
            assertThat(operator.operatorPaused()).isFalse();
            assertThat(operator.reason()).isNull();
        }
    }

    @Test
    void startWhenPublicUrlNotAUrlThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.public-url", "linkguard.example");
        assertThat(Startup.failure(p)).contains("LINKGUARD_PUBLIC_URL");
    }

    @Test
    void startWhenWebhookLimitsOutOfRangeThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.webhooks.max-endpoints-per-org", "0");
        assertThat(Startup.failure(p)).contains("LINKGUARD_WEBHOOKS_MAX_ENDPOINTS_PER_ORG");
    }

    @Test
    void startWhenHistoryBatchSizeOutOfRangeThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.health.history.batch-size", "0");
        assertThat(Startup.failure(p)).contains("LINKGUARD_HEALTH_HISTORY_BATCH_SIZE");
    }

    @Test
    void startWhenOperatorReasonTooLongThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.health.operator-reason", "x".repeat(201));
        assertThat(Startup.failure(p)).contains("LINKGUARD_OPERATOR_PAUSE_REASON");
    }
}
