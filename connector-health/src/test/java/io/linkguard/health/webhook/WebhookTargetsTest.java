package io.linkguard.health.webhook;

import io.linkguard.health.problem.Refusal;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No webhook into the cluster: only https targets on public addresses, unless explicitly allowed. */
class WebhookTargetsTest {

    @Test
    void registerWhenPrivateTargetsAreNotAllowedThenOnlyHttpsToPublicAddresses() {
        assertThat(WebhookTargets.checkForRegistration("https://hooks.example.com/linkguard", false))
                .isEqualTo(URI.create("https://hooks.example.com/linkguard"));
        for (String bad : new String[] {"http://hooks.example.com/x", "https://127.0.0.1/x", "https://10.1.2.3/x",
                "https://169.254.169.254/latest/meta-data", "https://192.168.0.10/", "https://100.64.0.1/", "https://[::1]/x",
                "https://[fd00::1]/x", "https://user:pw@hooks.example.com/x", "not a url", "", "ftp://example.com/x"}) {
            assertThatThrownBy(() -> WebhookTargets.checkForRegistration(bad, false)).as(bad)
                    .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID));
        }
    }

    @Test
    void registerWhenPrivateTargetsAreAllowedThenLocalHttpIsFine() {
        assertThat(WebhookTargets.checkForRegistration("http://127.0.0.1:9000/hook", true)).hasPort(9000);
        assertThat(WebhookTargets.refusal(URI.create("http://127.0.0.1:9000/hook"), true)).isNull();
    }

    @Test
    void deliverWhenANameResolvesToAPrivateAddressThenRefused() throws Exception {
        assertThat(WebhookTargets.refusal(URI.create("https://localhost/hook"), false)).contains("non-public");
        assertThat(WebhookTargets.refusal(URI.create("http://hooks.example.com/"), false)).contains("https");
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("172.16.0.1"))).isFalse();
    }
}
