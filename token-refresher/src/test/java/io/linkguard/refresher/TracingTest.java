package io.linkguard.refresher;

import io.linkguard.testsupport.Await;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's trace reaches the provider call: a request that arrives with a W3C traceparent (as
 * the gateway forwards it) is a span of that trace, and the refresh it causes at the provider is
 * a client span below it, named for the provider and its outcome.
 */
@MicronautTest(transactional = false)
class TracingTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    InMemorySpanExporter spans;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.test.spans-in-memory", "true");
        return p;
    }

    @Test
    void tokenWhenCalledWithATraceparentThenTheProviderCallIsASpanOfThatTrace() throws Exception {
        String base = "http://127.0.0.1:" + server.getPort();
        UUID id = store(base, "traced-" + UUID.randomUUID(), Instant.now().plusSeconds(20).toString());
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections/" + id + "/access-token"))
                .header("Authorization", "Bearer " + worker())
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        Await.until("the server span is exported", Duration.ofSeconds(5),
                () -> trace(traceId).stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
        List<SpanData> trace = trace(traceId);
        SpanData serverSpan = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(serverSpan.getParentSpanId()).as("the caller's span is its parent").isEqualTo("00f067aa0ba902b7");
        SpanData provider = trace.stream().filter(s -> s.getName().equals("provider token refresh")).findFirst().orElseThrow();
        assertThat(provider.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(provider.getAttributes().asMap().toString()).contains("linkguard.provider=mock").contains("linkguard.outcome=refreshed");
        // below the server span (directly or through spans in between)
        String parent = provider.getParentSpanId();
        boolean below = false;
        for (int hops = 0; hops < 10 && !below; hops++) {
            String p = parent;
            below = p.equals(serverSpan.getSpanId());
            parent = trace.stream().filter(s -> s.getSpanId().equals(p)).map(SpanData::getParentSpanId).findFirst().orElse("");
        }
        assertThat(below).as("the provider call belongs to the worker's request").isTrue();
    }

    @Test
    void reportWhenQueuedInATraceThenItsDeliveryContinuesThatTrace() throws Exception {
        String base = "http://127.0.0.1:" + server.getPort();
        String user = "traced-report-" + UUID.randomUUID();
        UUID id = store(base, user, Instant.now().plusSeconds(20).toString());
        mock.revokeUser(user);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections/" + id + "/access-token"))
                .header("Authorization", "Bearer " + worker())
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        Await.until("the needs_reauth report delivered", Duration.ofSeconds(10),
                () -> receivedTraceparents.stream().anyMatch(t -> t.contains(id.toString())));
        // the needs_reauth report, delivered later by the outbox job, is part of the worker's trace
        assertThat(receivedTraceparents).filteredOn(t -> t.contains(id.toString()))
                .isNotEmpty().allMatch(t -> t.startsWith("00-" + traceId + "-"));
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }
}
