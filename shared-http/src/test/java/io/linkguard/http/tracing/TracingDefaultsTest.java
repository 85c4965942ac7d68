package io.linkguard.http.tracing;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class TracingDefaultsTest {

    @Test
    void applyWhenNoExporterThenSpansAreNotRecorded() {
        assertThat(samplerAfter(Map.of(), new Properties())).isEqualTo("always_off");
        assertThat(samplerAfter(Map.of("OTEL_TRACES_EXPORTER", "none"), new Properties())).isEqualTo("always_off");
    }

    @Test
    void applyWhenAnExporterIsSetThenTheDefaultSamplerStays() {
        assertThat(samplerAfter(Map.of("OTEL_TRACES_EXPORTER", "otlp"), new Properties())).isNull();
        Properties p = new Properties();
        p.setProperty("otel.traces.exporter", "otlp");
        assertThat(samplerAfter(Map.of(), p)).isNull();
    }

    @Test
    void applyWhenASamplerIsChosenThenItIsKept() {
        assertThat(samplerAfter(Map.of("OTEL_TRACES_SAMPLER", "parentbased_always_on"), new Properties())).isNull();
        Properties p = new Properties();
        p.setProperty("otel.traces.sampler", "traceidratio");
        assertThat(samplerAfter(Map.of(), p)).isEqualTo("traceidratio");
    }

    private static String samplerAfter(Map<String, String> env, Properties properties) {
        TracingDefaults.apply(env, properties);
        return properties.getProperty(TracingDefaults.SAMPLER);
    }
}
