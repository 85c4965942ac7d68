package io.linkguard.auth.provider;

import io.linkguard.auth.profile.ProfileTestSupport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderCatalogTest extends ProfileTestSupport {

    @TempDir
    Path dir;

    @Test
    void builtInWhenLoadedThenRealProvidersWithoutMock() {
        ProviderCatalog catalog = catalog(Map.of(), null);
        assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(catalog.all()).extracting(ProviderDefinition::key).contains(
                "github", "gitlab", "google", "microsoft", "slack", "notion", "atlassian", "salesforce", "hubspot",
                "zendesk", "shopify", "dropbox", "box", "linear", "asana", "airtable", "figma", "discord", "spotify",
                "zoom", "intercom", "stripe", "xero", "quickbooks", "pipedrive", "calendly", "miro", "monday",
                "twitter", "linkedin", "bitbucket", "docusign").doesNotContain("mock");
        ProviderDefinition google = catalog.find("google").orElseThrow();
        assertThat(google.authorizeParams()).containsEntry("access_type", "offline").containsEntry("prompt", "consent");
        assertThat(google.pkce()).isTrue();
        assertThat(google.clientAuth()).isEqualTo(ClientAuthStyle.POST);
        assertThat(google.revokeUrl()).isEqualTo("https://oauth2.googleapis.com/revoke");
        assertThat(google.refreshRotates()).isFalse();
        ProviderDefinition slack = catalog.find("slack").orElseThrow();
        assertThat(slack.joinScopes(slack.defaultScopes())).isEqualTo("channels:read,chat:write");
        assertThat(slack.errorsInOkBody()).isTrue();
        ProviderDefinition github = catalog.find("github").orElseThrow();
        assertThat(github.revokeUrl()).isNull();
        assertThat(github.tokensExpire()).isFalse();
        assertThat(github.errorsInOkBody()).isTrue();
        ProviderDefinition notion = catalog.find("notion").orElseThrow();
        assertThat(notion.clientAuth()).isEqualTo(ClientAuthStyle.BASIC);
        assertThat(notion.tokenBody()).isEqualTo(TokenBodyFormat.JSON);
        assertThat(notion.tokensExpire()).isFalse();
        ProviderDefinition figma = catalog.find("figma").orElseThrow();
        assertThat(figma.refreshEndpoint()).isEqualTo("https://api.figma.com/v1/oauth/refresh");
        assertThat(catalog.find("gitlab").orElseThrow().refreshEndpoint()).isEqualTo("https://gitlab.com/oauth/token");
        ProviderDefinition zendesk = catalog.find("zendesk").orElseThrow();
        assertThat(zendesk.connectionParams()).containsOnlyKeys("subdomain");
        assertThat(zendesk.resolve(zendesk.tokenUrl(), Map.of("subdomain", "acme")))
                .isEqualTo("https://acme.zendesk.com/oauth/tokens");
        assertThat(catalog.find("shopify").orElseThrow().connectionParams()).containsOnlyKeys("shop");
        assertThat(catalog.find("salesforce").orElseThrow().connectionParams()).containsOnlyKeys("my_domain");
    }

    /**
     * Every built-in entry: https everywhere (placeholders filled with a sample), a name, scopes
     * without separators inside, and the behaviour fields written out rather than left to defaults,
     * so each entry says what was checked about its provider.
     */
    @Test
    void builtInWhenEachEntryCheckedThenHttpsAndExplicitBehaviour() throws IOException {
        ProviderCatalog catalog = catalog(Map.of(), null);
        Map<String, Map<String, Object>> raw;
        try (var in = getClass().getClassLoader().getResourceAsStream(ProviderCatalog.BUILT_IN)) {
            Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(in);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> providers = (Map<String, Map<String, Object>>) doc.get("providers");
            raw = providers;
        }
        raw.forEach((key, fields) -> {
            if (Boolean.TRUE.equals(fields.get("dev-only"))) {
                return;
            }
            assertThat(fields).as(key).containsKeys("name", "authorize-url", "token-url", "pkce", "client-auth",
                    "refresh-rotates");
            ProviderDefinition p = catalog.find(key).orElseThrow(() -> new AssertionError("not loaded: " + key));
            Map<String, String> sample = new HashMap<>();
            p.connectionParams().keySet().forEach(name -> sample.put(name, "tenant"));
            for (String url : new String[]{p.authorizeUrl(), p.tokenUrl(), p.revokeUrl(), p.refreshUrl()}) {
                if (url != null) {
                    java.net.URI u = java.net.URI.create(p.resolve(url, sample));
                    assertThat(u.getScheme()).as(key + " " + url).isEqualTo("https");
                    assertThat(u.getHost()).as(key + " " + url).isNotBlank();
                    assertThat(u.getRawQuery()).as(key + " " + url).isNull();
                }
            }
            assertThat(p.name()).as(key).isNotBlank();
            assertThat(p.defaultScopes()).as(key).allSatisfy(s -> assertThat(s).doesNotContain(p.scopeSeparator(), " "));
            assertThat(p.clientAuth()).as(key).isIn(ClientAuthStyle.BASIC, ClientAuthStyle.POST);
            assertThat(p.devOnly()).as(key).isFalse();
        });
    }

    @Test
    void externalFileWhenKeyDuplicatedThenFailsNamingIt() throws IOException {
        Path file = write("""
                providers:
                  twin:
                    name: Twin 1
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                  twin:
                    name: Twin 2
                    authorize-url: https://y.example.com/a
                    token-url: https://y.example.com/t
                """);
        assertThatThrownBy(() -> catalog(Map.of(), file)).isInstanceOf(ProviderCatalogException.class)
                .hasMessageContaining("duplicate key").hasMessageContaining("twin");
    }

    @Test
    void externalFileWhenPlaceholdersDeclaredThenResolvedPerConnection() throws IOException {
        Path file = write("""
                providers:
                  tenantco:
                    name: TenantCo
                    authorize-url: https://{org}.tenant.example.com/oauth/authorize
                    token-url: https://{org}.tenant.example.com/oauth/token
                    connection-params:
                      org: "Your TenantCo organisation"
                    tokens-expire: false
                    errors-in-ok-body: true
                    token-body: json
                """);
        ProviderDefinition p = catalog(Map.of(), file).find("tenantco").orElseThrow();
        assertThat(p.perTenant()).isTrue();
        assertThat(p.connectionParams()).containsEntry("org", "Your TenantCo organisation");
        assertThat(p.resolve(p.authorizeUrl(), Map.of("org", "acme-eu.prod")))
                .isEqualTo("https://acme-eu.prod.tenant.example.com/oauth/authorize");
        // values that would leave the provider's domain, or are not a host name, are refused
        for (String bad : List.of("evil.com/", "a..b", "x@y", "a:1", "-a", "a.", "", "a#b", "a b")) {
            assertThatThrownBy(() -> p.resolve(p.tokenUrl(), Map.of("org", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("org");
        }
        assertThatThrownBy(() -> p.resolve(p.tokenUrl(), Map.of())).hasMessage("org");
    }

    @Test
    void externalFileWhenPlaceholderUndeclaredUnusedOrMalformedThenFailsNamingIt() throws IOException {
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q1:
                    name: Q1
                    authorize-url: https://{subdomain}.example.com/a
                    token-url: https://x.example.com/t
                """))).hasMessageContaining("'q1'").hasMessageContaining("'authorize-url'").hasMessageContaining("{subdomain}");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q2:
                    name: Q2
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    connection-params:
                      region: "Region"
                """))).hasMessageContaining("'q2'").hasMessageContaining("'connection-params.region'").hasMessageContaining("not used");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q3:
                    name: Q3
                    authorize-url: https://{Sub}.example.com/a
                    token-url: https://x.example.com/t
                """))).hasMessageContaining("'q3'").hasMessageContaining("'authorize-url'");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q4:
                    name: Q4
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    connection-params: [subdomain]
                """))).hasMessageContaining("'q4'").hasMessageContaining("'connection-params'");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q5:
                    name: Q5
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    token-body: xml
                """))).hasMessageContaining("'q5'").hasMessageContaining("'token-body'");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  q6:
                    name: Q6
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    errors-in-ok-body: sometimes
                """))).hasMessageContaining("'q6'").hasMessageContaining("'errors-in-ok-body'");
    }

    @Test
    void externalFileWhenOldShapeThenNewFieldsTakeDefaults() throws IOException {
        ProviderDefinition p = catalog(Map.of(), write("""
                providers:
                  legacy:
                    name: Legacy
                    authorize-url: http://localhost:8090/authorize
                    token-url: http://mock-provider:8090/token
                """)).find("legacy").orElseThrow();
        assertThat(p.tokensExpire()).isTrue();
        assertThat(p.errorsInOkBody()).isFalse();
        assertThat(p.tokenBody()).isEqualTo(TokenBodyFormat.FORM);
        assertThat(p.connectionParams()).isEmpty();
        assertThat(p.refreshEndpoint()).isEqualTo("http://mock-provider:8090/token");
        assertThat(p.clientAuth()).isEqualTo(ClientAuthStyle.BASIC);
    }

    @Test
    void mockWhenBaseUrlConfiguredThenPresentWithResolvedUrls() {
        ProviderCatalog catalog = catalog(Map.of("linkguard.providers.mock.base-url", "http://127.0.0.1:9999"), null);
        ProviderDefinition mock = catalog.find("mock").orElseThrow();
        assertThat(mock.authorizeUrl()).isEqualTo("http://127.0.0.1:9999/authorize");
        assertThat(mock.tokenUrl()).isEqualTo("http://127.0.0.1:9999/token");
        assertThat(mock.devOnly()).isTrue();
        assertThat(mock.refreshRotates()).isTrue();
    }

    @Test
    void externalFileWhenGivenThenAddsAndOverridesEntries() throws IOException {
        Path file = write("""
                providers:
                  github:
                    name: GitHub Enterprise
                    authorize-url: https://ghe.example.com/login/oauth/authorize
                    token-url: https://ghe.example.com/login/oauth/access_token
                    scopes: [repo]
                    client-auth: basic
                  inhouse:
                    name: In-house SSO
                    authorize-url: https://sso.example.com/authorize
                    token-url: https://sso.example.com/token
                    pkce: true
                    refresh-rotates: true
                """);
        ProviderCatalog catalog = catalog(Map.of(), file);
        assertThat(catalog.find("github").orElseThrow().authorizeUrl()).startsWith("https://ghe.example.com/");
        assertThat(catalog.find("github").orElseThrow().clientAuth()).isEqualTo(ClientAuthStyle.BASIC);
        ProviderDefinition inhouse = catalog.find("inhouse").orElseThrow();
        assertThat(inhouse.pkce()).isTrue();
        assertThat(inhouse.scopeSeparator()).isEqualTo(" ");
        assertThat(inhouse.defaultScopes()).isEmpty();
        assertThat(catalog.find("google")).isPresent();
    }

    @Test
    void externalFileWhenUrlInvalidThenFailsNamingEntryAndField() throws IOException {
        Path file = write("""
                providers:
                  broken:
                    name: Broken
                    authorize-url: not a url
                    token-url: https://x.example.com/token
                """);
        assertThatThrownBy(() -> catalog(Map.of(), file)).isInstanceOf(ProviderCatalogException.class)
                .hasMessageContaining("'broken'").hasMessageContaining("'authorize-url'");
    }

    @Test
    void externalFileWhenFieldMissingOrUnknownOrWrongTypeThenFailsNamingIt() throws IOException {
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  p1:
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                """))).hasMessageContaining("'p1'").hasMessageContaining("'name'").hasMessageContaining("required");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  p2:
                    name: P2
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    tokn-url: https://typo.example.com
                """))).hasMessageContaining("'p2'").hasMessageContaining("'tokn-url'");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  p3:
                    name: P3
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    client-auth: jwt
                """))).hasMessageContaining("'p3'").hasMessageContaining("'client-auth'");
        assertThatThrownBy(() -> catalog(Map.of(), write("""
                providers:
                  p4:
                    name: P4
                    authorize-url: https://x.example.com/a
                    token-url: https://x.example.com/t
                    pkce: maybe
                """))).hasMessageContaining("'p4'").hasMessageContaining("'pkce'");
    }

    @Test
    void startupWhenCatalogFileBadThenContextFailsNamingEntryAndField() throws IOException {
        Path file = write("""
                providers:
                  acme:
                    name: Acme
                    authorize-url: https://acme.example.com/authorize
                """);
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("linkguard.provider-catalog.file", file.toString());
        assertThatThrownBy(() -> {
            try (ApplicationContext ignored = ApplicationContext.run(props)) {
                // must not start
            }
        }).rootCause().isInstanceOf(ProviderCatalogException.class)
                .hasMessageContaining("'acme'").hasMessageContaining("'token-url'");
    }

    private Path write(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "providers", ".yml");
        Files.writeString(f, yaml);
        return f;
    }

    private static ProviderCatalog catalog(Map<String, Object> props, Path file) {
        Environment env = new DefaultEnvironment(() -> List.of("test"));
        env.addPropertySource(PropertySource.of("test", props));
        env.start();
        try {
            return new ProviderCatalog(env, new ProviderCatalogConfiguration(file == null ? null : file.toString()));
        } finally {
            env.stop();
        }
    }
}
