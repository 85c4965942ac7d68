package io.linkguard.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Through the gateway, every page (the dashboard's and auth-server's) carries the browser security headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersSystemTest {

    RunningSystem sys;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
    }

    static void assertFramingAndSniffing(Http.Response r, String what) {
        assertThat(r.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'");
        assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).as(what).isNotBlank();
    }

    @Test
    void pagesWhenThroughGatewayThenSecurityHeaders() {
        for (String path : List.of("/", "/app/", "/app/index.html", "/app/app.js", "/app/app.css", "/reconnect/x")) {
            assertFramingAndSniffing(Http.get(sys.gateway() + path, null), path);
        }
        String redirect = URLEncoder.encode(sys.config.publicUrl() + "/app/callback", StandardCharsets.UTF_8);
        Http.Response login = Http.get(sys.gateway() + "/oauth/authorize?response_type=code&client_id=linkguard-dashboard"
                + "&redirect_uri=" + redirect + "&scope=connectors:read&state=s"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256", null);
        assertThat(login.status()).isEqualTo(200);
        assertFramingAndSniffing(login, "sign-in page");
        // auth-server's own choice survives the proxy: the sign-in form's POST needs a real Origin
        assertThat(login.header("Referrer-Policy")).isEqualTo("same-origin");
        assertFramingAndSniffing(Http.get(sys.gateway() + "/connect/not-a-token", null), "connect error page");
        assertThat(Http.get(sys.gateway() + "/api/providers", null).header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
