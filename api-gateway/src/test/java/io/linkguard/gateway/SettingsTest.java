package io.linkguard.gateway;

import io.linkguard.testsupport.Startup;
import io.linkguard.http.config.PublicUrl;
import io.linkguard.gateway.config.ServiceUrls;
import io.linkguard.testsupport.TestTokenIssuer;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's settings: the service URLs and the public URL keep their defaults, and a missing
 * or malformed one stops start-up with the environment variable to set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettingsTest {

    private final TestTokenIssuer issuer = TestTokenIssuer.start("http://issuer.test");

    @AfterAll
    void stopIssuer() {
        issuer.close();
    }

    private Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>(issuer.properties());
        p.put("micronaut.server.port", "-1");
        p.put("linkguard.security.revocation.enabled", "false");
        return p;
    }

    @Test
    void startWhenNothingSetThenTheLongstandingDefaults() {
        try (ApplicationContext ctx = ApplicationContext.run(valid(), "test")) {
            ServiceUrls urls = ctx.getBean(ServiceUrls.class);
            assertThat(urls.authUrl()).isEqualTo("http://127.0.0.1:8081");
            assertThat(urls.refresherUrl()).isEqualTo("http://127.0.0.1:8082");
            assertThat(urls.healthUrl()).isEqualTo("http://127.0.0.1:8083");
            assertThat(ctx.getBean(PublicUrl.class).publicUrl()).isEqualTo("http://localhost:8080");
        }
    }

    @Test
    void startWhenAServiceUrlIsMissingOrMalformedThenFailsNamingTheVariable() {
        Map<String, Object> missing = valid();
        missing.put("linkguard.refresher-url", "");
        assertThat(Startup.failure(missing)).contains("REFRESHER_URL");

        Map<String, Object> malformed = valid();
        malformed.put("linkguard.health-url", "connector-health:8083");
        assertThat(Startup.failure(malformed)).contains("HEALTH_URL");
    }

    @Test
    void startWhenPublicUrlNotAUrlThenFailsNamingTheVariable() {
        Map<String, Object> p = valid();
        p.put("linkguard.public-url", "linkguard.example");
        assertThat(Startup.failure(p)).contains("LINKGUARD_PUBLIC_URL");
    }
}
