package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkguard.http.security.AccessPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API's OpenAPI document, checked against the running system: it is OpenAPI 3.1,
 * documents no internal route, describes the problem+json error of every operation, every
 * documented operation exists at the gateway, and every route of the access policy is documented.
 */
class OpenApiSystemTest {

    final RunningSystem sys = RunningSystem.get();

    private static String normalize(String template) {
        return template.replaceAll("\\{[^/}]+}", "{}");
    }

    private JsonNode document() {
        Http.Response r = Http.get(sys.gateway() + "/openapi.json", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void documentWhenFetchedThenOpenApi31WithProblemAnswersAndNoInternalRoute() {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        assertThat(doc.at("/components/schemas/Problem").isObject()).isTrue();
        List<String> missingProblem = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            assertThat(p.getKey()).doesNotStartWith("/internal").isNotEqualTo("/openapi.yml");
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getValue().at("/responses/default/content/application~1problem+json").isMissingNode()) {
                    missingProblem.add(op.getKey() + " " + p.getKey());
                }
            }
        }
        assertThat(missingProblem).isEmpty();
        Http.Response page = Http.get(sys.gateway() + "/openapi", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("/openapi.json");
    }

    @Test
    void documentWhenComparedWithTheGatewayThenEveryOperationExistsAndEveryPolicyRouteIsDocumented() {
        JsonNode doc = document();
        Set<String> documented = new TreeSet<>();
        List<String> notThere = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                documented.add(method + " " + normalize(p.getKey()));
                if (p.getKey().startsWith("/connect/")) {
                    continue; // a one-time link: an unknown one answers "this link is not valid", by design
                }
                String path = p.getKey().replaceAll("\\{[^/}]+}", UUID.randomUUID().toString());
                boolean withBody = Set.of("POST", "PUT", "PATCH").contains(method);
                Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + path))
                        .header("Content-Type", "application/json")
                        .method(method, withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody()));
                // without a token a real route answers 401/403 (or 400/200 when public); an unknown one 404/405
                if (r.status() == 404 || r.status() == 405) {
                    notThere.add(method + " " + p.getKey() + " → " + r.status());
                }
            }
        }
        assertThat(notThere).as("documented but not served").isEmpty();
        List<String> undocumented = new ArrayList<>();
        for (AccessPolicy.Rule rule : AccessPolicy.RULES) {
            if (rule.template().startsWith("/internal")) {
                continue;
            }
            if (rule.template().endsWith("/**")) {
                String prefix = normalize(rule.template().substring(0, rule.template().length() - 3));
                boolean any = documented.stream().anyMatch(d -> d.substring(d.indexOf(' ') + 1).startsWith(prefix));
                if (!any) {
                    undocumented.add(rule.template());
                }
            } else if (!documented.contains((rule.method() == null ? "GET" : rule.method().name()) + " " + normalize(rule.template()))) {
                undocumented.add((rule.method() == null ? "" : rule.method().name() + " ") + rule.template());
            }
        }
        assertThat(undocumented).as("routes of the access policy missing from the document").isEmpty();
        assertThat(documented).contains("POST /oauth/token", "POST /api/health/reports",
                "POST /api/connections/{}/access-token", "POST /api/orgs/{}/webhooks");
    }
}
