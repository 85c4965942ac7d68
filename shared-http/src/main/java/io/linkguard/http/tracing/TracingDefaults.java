package io.linkguard.http.tracing;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a service's {@code main} sets before Micronaut starts: while no trace exporter is configured
 * ({@code OTEL_TRACES_EXPORTER} unset or {@code none}, the default), spans are not recorded
 * (sampler {@code always_off}) unless a sampler is chosen explicitly.
 *
 * <p>Unexported spans are pure cost: building, timing and ending a server and a client span with
 * their attributes was about a quarter of the CPU of a cheap request through the gateway and the
 * service behind it. Trace context still flows without them: each service still reads and writes
 * W3C {@code traceparent} (as not sampled), a queued report still carries the trace it was queued
 * in, and the request id is in every log line either way. Setting an exporter (for example
 * {@code otlp}) brings back the default sampler ({@code parentbased_always_on}).
 */
public final class TracingDefaults {

    static final String SAMPLER = "otel.traces.sampler";

    private TracingDefaults() {
    }

    /** Applies the defaults to this JVM's system properties. */
    public static void apply() {
        apply(System.getenv(), System.getProperties());
    }

    static void apply(Map<String, String> env, Properties properties) {
        String exporter = properties.getProperty("otel.traces.exporter", env.get("OTEL_TRACES_EXPORTER"));
        boolean exporting = exporter != null && !exporter.isBlank() && !exporter.trim().toLowerCase(Locale.ROOT).equals("none");
        boolean samplerChosen = properties.getProperty(SAMPLER) != null || env.get("OTEL_TRACES_SAMPLER") != null;
        if (!exporting && !samplerChosen) {
            properties.setProperty(SAMPLER, "always_off");
        }
    }
}
