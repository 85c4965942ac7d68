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
        assertThat(catalog.all()).extracting(ProviderDefinition::key).containsExactlyInAnyOrder(
                "github", "google", "microsoft", "slack", "gitlab", "atlassian", "notion", "linear");
        ProviderDefinition google = catalog.find("google").orElseThrow();
        assertThat(google.authorizeParams()).containsEntry("access_type", "offline").containsEntry("prompt", "consent");
        assertThat(google.pkce()).isTrue();
        assertThat(google.clientAuth()).isEqualTo(ClientAuthStyle.POST);
        assertThat(google.revokeUrl()).isEqualTo("https://oauth2.googleapis.com/revoke");
        ProviderDefinition slack = catalog.find("slack").orElseThrow();
        assertThat(slack.joinScopes(slack.defaultScopes())).isEqualTo("channels:read,chat:write");
        assertThat(catalog.find("github").orElseThrow().revokeUrl()).isNull();
        assertThat(catalog.find("notion").orElseThrow().clientAuth()).isEqualTo(ClientAuthStyle.BASIC);
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
            return new ProviderCatalog(env, file == null ? null : file.toString());
        } finally {
            env.stop();
        }
    }
}
