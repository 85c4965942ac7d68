package io.linkguard.auth.config;

import io.linkguard.testsupport.Startup;
import io.linkguard.http.config.PublicUrl;

import io.linkguard.testsupport.PostgresTestProperties;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth-server's settings: a missing or malformed value stops start-up with the environment variable
 * to set, and the older keys a deployment may still pass keep working.
 */
class SettingsTest extends PostgresTestProperties {

    /**
     * One key for every context of the class: they share the database and so its signing keys.
     * Written without its '=' padding, which the key's decoder has always accepted.
     */
    private static final String KEY_ENCRYPTION_KEY = randomKey();

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().withoutPadding().encodeToString(k);
    }

    private Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>(getProperties());
        p.put("linkguard.auth.key-encryption-key", KEY_ENCRYPTION_KEY);
        p.put("linkguard.internal-client-secret", "settings-test-internal-secret");
        p.put("linkguard.security.revocation.enabled", "false");
        return p;
    }

    @Test
    void startWhenKeyEncryptionKeyMissingOrMalformedThenFailsNamingTheVariable() {
        Map<String, Object> missing = valid();
        missing.put("linkguard.auth.key-encryption-key", "");
        assertThat(Startup.failure(missing)).contains("LINKGUARD_KEY_ENCRYPTION_KEY");

        Map<String, Object> shortKey = valid();
        shortKey.put("linkguard.auth.key-encryption-key", Base64.getEncoder().encodeToString(new byte[16]));
        assertThat(Startup.failure(shortKey)).contains("LINKGUARD_KEY_ENCRYPTION_KEY").contains("32-byte");
    }

    @Test
    void startWhenInternalSecretTooShortThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.internal-client-secret", "short");
        assertThat(Startup.failure(p)).contains("LINKGUARD_INTERNAL_CLIENT_SECRET");
    }

    @Test
    void startWhenPublicUrlNotAUrlThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.public-url", "linkguard.example");
        assertThat(Startup.failure(p)).contains("LINKGUARD_PUBLIC_URL");
    }

    @Test
    void serviceUrlsWhenOlderPerFeatureKeysSetThenTheyStillWin() {
        assertServiceUrls(Map.of(), "http://127.0.0.1:8082", "http://127.0.0.1:8083");
        assertServiceUrls(Map.of("linkguard.deletion.refresher-url", "http://refresher.deletion:1",
                "linkguard.deletion.health-url", "http://health.deletion:2"), "http://refresher.deletion:1", "http://health.deletion:2");
        assertServiceUrls(Map.of("linkguard.connect.refresher-url", "http://refresher.connect:3",
                "linkguard.connect.health-url", "http://health.connect:4"), "http://refresher.connect:3", "http://health.connect:4");
    }

    private void assertServiceUrls(Map<String, Object> keys, String refresher, String health) {
        Map<String, Object> p = valid();
        p.putAll(keys);
        try (ApplicationContext ctx = ApplicationContext.run(p, "test")) {
            ServiceUrls urls = ctx.getBean(ServiceUrls.class);
            assertThat(urls.refresherUrl()).as("%s", keys).isEqualTo(refresher);
            assertThat(urls.healthUrl()).as("%s", keys).isEqualTo(health);
        }
    }

    @Test
    void issuerWhenOnlyPublicUrlSetThenFollowsIt() {
        Map<String, Object> p = valid();
        p.put("linkguard.public-url", "https://linkguard.example");
        try (ApplicationContext ctx = ApplicationContext.run(p, "test")) {
            assertThat(ctx.getBean(IssuerConfiguration.class).issuer()).isEqualTo("https://linkguard.example");
            assertThat(ctx.getBean(PublicUrl.class).secureCookies()).isTrue();
        }
    }
}
