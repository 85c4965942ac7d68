package io.linkguard.gateway.openapi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.linkguard.http.config.PublicUrl;
import io.linkguard.gateway.route.Backend;
import io.linkguard.gateway.route.Routes;
import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public API's OpenAPI 3.1 document, {@code GET /openapi.json}, and a page to browse it,
 * {@code GET /openapi}. Each service generates its own document from its controllers at compile
 * time and serves it at {@code /openapi.yml}; the gateway takes from each exactly the operations
 * it routes to that service (never {@code /internal}), adds what every operation shares — the
 * bearer scheme and the problem+json error answer — and keeps the result for a minute.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class OpenApiController {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final Map<Backend, HttpClient> backends;
    private final JsonMapper json;
    private final String publicUrl;
    private final Cache<String, byte[]> cache = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).build();

    OpenApiController(@Client("${linkguard.auth-url}") HttpClient auth, @Client("${linkguard.refresher-url}") HttpClient refresher,
                      @Client("${linkguard.health-url}") HttpClient health, JsonMapper json,
                      PublicUrl publicUrl) {
        this.backends = Map.of(Backend.AUTH, auth, Backend.REFRESHER, refresher, Backend.HEALTH, health);
        this.json = json;
        this.publicUrl = publicUrl.publicUrl();
    }

    @Get(value = "/openapi.json", produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(cache.get("doc", k -> build())).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get(value = "/openapi", produces = MediaType.TEXT_HTML)
    String page() {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Linkguard API</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <link rel="stylesheet" href="/app/app.css"></head>
                <body><main><h1>Linkguard API</h1>
                <p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
                Errors are <code>application/problem+json</code>; see each problem's <code>type</code>.</p>
                <div id="operations">Loading…</div></main>
                <script type="module" src="/app/openapi.js"></script></body></html>""";
    }

    @SuppressWarnings("unchecked")
    private byte[] build() {
        Map<String, Object> paths = new TreeMap<>();
        Map<String, Object> schemas = new TreeMap<>();
        for (Map.Entry<Backend, HttpClient> b : backends.entrySet()) {
            Map<String, Object> doc = fetch(b.getKey(), b.getValue());
            Map<String, Object> theirPaths = (Map<String, Object>) doc.getOrDefault("paths", Map.of());
            for (Map.Entry<String, Object> p : theirPaths.entrySet()) {
                Map<String, Object> ops = new LinkedHashMap<>();
                for (Map.Entry<String, Object> op : ((Map<String, Object>) p.getValue()).entrySet()) {
                    if (METHODS.contains(op.getKey()) && routedTo(b.getKey(), op.getKey(), p.getKey())) {
                        ops.put(op.getKey(), withProblem((Map<String, Object>) op.getValue()));
                    }
                }
                if (!ops.isEmpty()) {
                    ((Map<String, Object>) paths.computeIfAbsent(p.getKey(), k -> new LinkedHashMap<>())).putAll(ops);
                }
            }
            Map<String, Object> components = (Map<String, Object>) doc.getOrDefault("components", Map.of());
            ((Map<String, Object>) components.getOrDefault("schemas", Map.of())).forEach(schemas::putIfAbsent);
        }
        schemas.put("Problem", Map.of("type", "object", "description",
                "RFC 9457 problem details; type is " + Problem.TYPE_BASE + "<slug>",
                "required", List.of("type", "title", "status"),
                "properties", Map.of("type", Map.of("type", "string", "format", "uri"), "title", Map.of("type", "string"),
                        "status", Map.of("type", "integer"), "detail", Map.of("type", "string"),
                        "instance", Map.of("type", "string"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("openapi", "3.1.0");
        out.put("info", Map.of("title", "Linkguard API", "version", "1",
                "description", "Keeps a product's third-party OAuth connections alive and says when one breaks."));
        out.put("servers", List.of(Map.of("url", publicUrl)));
        out.put("paths", paths);
        out.put("components", Map.of("schemas", schemas, "securitySchemes",
                Map.of("bearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"))));
        out.put("security", List.of(Map.of("bearer", List.of())));
        try {
            return json.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the gateway sends this operation to {@code backend} (a template's variables read as one segment). */
    private static boolean routedTo(Backend backend, String method, String template) {
        String path = template.replaceAll("\\{[^/}]+}", "x");
        return Routes.route(HttpMethod.parse(method.toUpperCase(Locale.ROOT)), path) == backend;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withProblem(Map<String, Object> operation) {
        Map<String, Object> op = new LinkedHashMap<>(operation);
        Map<String, Object> responses = new LinkedHashMap<>((Map<String, Object>) op.getOrDefault("responses", Map.of()));
        responses.putIfAbsent("default", Map.of("description", "An error, as problem details",
                "content", Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
        op.put("responses", responses);
        return op;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(Backend backend, HttpClient client) {
        try {
            String yaml = client.toBlocking().retrieve(HttpRequest.GET("/openapi.yml"), String.class);
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
            return doc instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.of("dependency-unavailable", "Service unavailable", 503,
                    "The API description of " + backend.name().toLowerCase(Locale.ROOT) + " cannot be read right now; try again."));
        }
    }
}
