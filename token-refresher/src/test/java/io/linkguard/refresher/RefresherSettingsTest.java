package io.linkguard.refresher;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings are read once at start-up, from the properties (and so the environment variables) the docs name. */
@MicronautTest(transactional = false)
class RefresherSettingsTest extends RefresherTestSupport {

    @Test
    void startWhenSettingsAreValidThenTheyAreUsed() {
        try (ApplicationContext ok = start(Map.of("linkguard.refresher.skew", "90s",
                "linkguard.refresher.background.concurrency", "7", "linkguard.refresher.shutdown-drain", "3s"))) {
            assertThat(ok.getBean(io.linkguard.refresher.config.RefresherSettings.class).skew().toSeconds()).isEqualTo(90);
            assertThat(ok.getBean(io.linkguard.refresher.config.RefresherSettings.class).shutdownDrain().toSeconds()).isEqualTo(3);
            assertThat(ok.getBean(io.linkguard.refresher.config.BackgroundSettings.class).concurrency()).isEqualTo(7);
        }
    }

    private ApplicationContext start(Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.putAll(extra);
        return ApplicationContext.run(props, "test");
    }
}
