package io.linkguard.system;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Kustomize overlays render ({@code kubectl kustomize}), and every workload they produce meets the
 * rules of the deployment: probes, requests and limits, the restricted security context, a writable
 * /tmp only, and each pod reading no Secret but its own.
 */
class KubernetesManifestsTest {

    private static final Set<String> SERVICES = Set.of("auth-server", "token-refresher", "connector-health", "api-gateway");
    private final Path repo = Path.of(System.getProperty("linkguard.repo", "..")).toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> render(String overlay) {
        assumeTrue(Commands.onPath("kubectl"), "kubectl is not installed (.ci/run installs it): the manifests are not checked");
        String version = Commands.run(repo, Map.of(), List.of("kubectl", "version", "--client")).out();
        Matcher kustomize = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version);
        assumeTrue(kustomize.find() && Integer.parseInt(kustomize.group(1)) >= 5,
                "kubectl's built-in Kustomize is older than v5 (" + version.strip() + "): the overlays need v5");
        String yaml = Commands.ok(repo, Map.of(), List.of("kubectl", "kustomize", "deploy/k8s/overlays/" + overlay));
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            if (!(n instanceof Map<?, ?> m)) {
                return null;
            }
            n = m.get(p);
        }
        return (T) n;
    }

    private static String name(Map<String, Object> doc) {
        return at(doc, "metadata", "name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void renderWhenOverlayThenEveryWorkloadHasProbesLimitsRestrictedSecurityAndOnlyItsOwnSecret(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> workloads = docs.stream()
                .filter(d -> List.of("Deployment", "StatefulSet").contains(d.get("kind"))).toList();
        Set<String> names = new HashSet<>();
        workloads.forEach(w -> names.add(name(w)));
        assertThat(names).containsAll(SERVICES);
        if (overlay.equals("dev")) {
            assertThat(names).contains("postgres", "mock-provider");
        } else {
            assertThat(names).doesNotContain("postgres", "mock-provider");
        }

        for (Map<String, Object> w : workloads) {
            String workload = overlay + "/" + name(w);
            Map<String, Object> pod = at(w, "spec", "template", "spec");
            assertThat((Object) at(pod, "securityContext", "runAsNonRoot")).as(workload + " runAsNonRoot").isEqualTo(true);
            assertThat((Object) at(pod, "securityContext", "seccompProfile", "type")).as(workload + " seccomp").isEqualTo("RuntimeDefault");
            List<Map<String, Object>> volumes = at(pod, "volumes");
            List<Map<String, Object>> containers = at(pod, "containers");
            for (Map<String, Object> c : containers) {
                String container = workload + "/" + c.get("name");
                assertThat((Object) at(c, "securityContext", "allowPrivilegeEscalation")).as(container).isEqualTo(false);
                assertThat((Object) at(c, "securityContext", "readOnlyRootFilesystem")).as(container).isEqualTo(true);
                assertThat((List<String>) at(c, "securityContext", "capabilities", "drop")).as(container).containsExactly("ALL");
                assertThat((Object) at(c, "resources", "requests", "cpu")).as(container + " cpu request").isNotNull();
                assertThat((Object) at(c, "resources", "requests", "memory")).as(container + " memory request").isNotNull();
                assertThat((Object) at(c, "resources", "limits", "memory")).as(container + " memory limit").isNotNull();
                assertThat((Object) at(c, "resources", "limits", "cpu")).as(container + " cpu limit").isNotNull();
                assertThat((Object) at(c, "livenessProbe")).as(container + " liveness").isNotNull();
                assertThat((Object) at(c, "readinessProbe")).as(container + " readiness").isNotNull();
                List<Map<String, Object>> mounts = at(c, "volumeMounts");
                String tmpVolume = mounts.stream().filter(m -> "/tmp".equals(m.get("mountPath")))
                        .map(m -> (String) m.get("name")).findFirst().orElse(null);
                assertThat(tmpVolume).as(container + " mounts a writable /tmp").isNotNull();
                assertThat(volumes.stream().filter(v -> tmpVolume.equals(v.get("name"))).findFirst().orElseThrow())
                        .as(container + " /tmp is an emptyDir").containsKey("emptyDir");
                if (SERVICES.contains(name(w))) {
                    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                        assertThat((Object) at(c, probe, "httpGet", "port")).as(container + " " + probe + " on the management port")
                                .isEqualTo("metrics");
                    }
                    List<Map<String, Object>> ports = at(c, "ports");
                    assertThat(ports).as(container + " names its metrics port").anyMatch(p -> "metrics".equals(p.get("name")));
                }
                assertThat(secretsReferenced(c, volumes)).as(container + " reads only its own Secret")
                        .allMatch(s -> s.equals(name(w) + "-secrets"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> secretsReferenced(Map<String, Object> container, List<Map<String, Object>> volumes) {
        Set<String> secrets = new HashSet<>();
        for (Map<String, Object> from : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
            String s = at(from, "secretRef", "name");
            if (s != null) {
                secrets.add(s);
            }
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            String s = at(e, "valueFrom", "secretKeyRef", "name");
            if (s != null) {
                secrets.add(s);
            }
        }
        for (Map<String, Object> v : volumes == null ? List.<Map<String, Object>>of() : volumes) {
            String s = at(v, "secret", "secretName");
            if (s != null) {
                secrets.add(s);
            }
        }
        return secrets;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void renderWhenOverlayThenOnlyTheGatewayIsReachableFromTheIngressAndOnlyTwoServicesReachTheInternet(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> policies = docs.stream().filter(d -> "NetworkPolicy".equals(d.get("kind"))).toList();
        assertThat(policies.stream().map(KubernetesManifestsTest::name)).contains("default-deny");
        Map<String, Object> deny = policies.stream().filter(p -> "default-deny".equals(name(p))).findFirst().orElseThrow();
        assertThat((Map<String, Object>) at(deny, "spec", "podSelector")).isEmpty();
        assertThat((List<String>) at(deny, "spec", "policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");

        Set<String> fromOtherNamespaces = new HashSet<>();
        Set<String> toInternet = new HashSet<>();
        for (Map<String, Object> p : policies) {
            String selected = at(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            for (Map<String, Object> rule : (List<Map<String, Object>>) at(p, "spec", "ingress") == null
                    ? List.<Map<String, Object>>of() : (List<Map<String, Object>>) at(p, "spec", "ingress")) {
                for (Map<String, Object> from : (List<Map<String, Object>>) rule.getOrDefault("from", List.of())) {
                    boolean metricsOnly = ((List<Map<String, Object>>) rule.getOrDefault("ports", List.of())).stream()
                            .allMatch(port -> "metrics".equals(port.get("port")));
                    if (from.containsKey("namespaceSelector") && !metricsOnly) {
                        fromOtherNamespaces.add(selected);
                    }
                }
            }
            for (Map<String, Object> rule : (List<Map<String, Object>>) at(p, "spec", "egress") == null
                    ? List.<Map<String, Object>>of() : (List<Map<String, Object>>) at(p, "spec", "egress")) {
                for (Map<String, Object> to : (List<Map<String, Object>>) rule.getOrDefault("to", List.of())) {
                    if ("0.0.0.0/0".equals(at(to, "ipBlock", "cidr"))) {
                        toInternet.add(selected);
                    }
                }
            }
        }
        assertThat(fromOtherNamespaces).as("pods reachable from outside the namespace (but for metrics)")
                .containsExactly("api-gateway");
        assertThat(toInternet).as("pods with internet egress").containsExactlyInAnyOrder("auth-server", "token-refresher");

        Map<String, Object> ingress = docs.stream().filter(d -> "Ingress".equals(d.get("kind"))).findFirst().orElse(null);
        if (overlay.equals("prod")) {
            assertThat(ingress).isNotNull();
            assertThat((Object) at(((List<Map<String, Object>>) at(ingress, "spec", "tls")).get(0), "secretName")).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void renderWhenDevThenTheGatewaysSecretHoldsNoDatabasePasswordOrEncryptionKey(String overlay) {
        Map<String, Object> secret = render(overlay).stream()
                .filter(d -> "Secret".equals(d.get("kind")) && "api-gateway-secrets".equals(name(d))).findFirst().orElseThrow();
        Map<String, Object> data = at(secret, "data");
        assertThat(data).containsOnlyKeys("LINKGUARD_INTERNAL_CLIENT_SECRET");
    }
}
