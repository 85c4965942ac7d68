package io.linkguard.auth.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in throttling nobody can turn on someone else: per-account progressive delay that a known
 * device is not subject to, and per-address limits on the real client address. The tests stand
 * in for the gateway (127.0.0.1 is a trusted proxy here) and name the client in X-Forwarded-For.
 */
@MicronautTest(transactional = false)
class LoginThrottleTest extends OAuthTestSupport {

    static final String THROTTLED = "Too many failed sign-ins";

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>(super.extraProperties());
        p.put("linkguard.network.trusted-proxies", "127.0.0.1/32, ::1/128");
        p.put("linkguard.auth.login-throttle.account-free-failures", "3");
        p.put("linkguard.auth.login-throttle.account-base-delay", "500ms");
        p.put("linkguard.auth.login-throttle.account-max-delay", "1s");
        p.put("linkguard.auth.login-throttle.address-max-failures", "20");
        return p;
    }

    URI authorizeUri() {
        Map<String, String> p = Map.of("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT,
                "scope", "connectors:read", "state", "st", "code_challenge_method", "S256",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue());
        return URI.create(base() + "/oauth/authorize?" + form(p));
    }

    /** One sign-in through the form, by a browser at a client address. */
    Response login(HttpClient browser, String address, String email, String password) {
        Response page = send(browser, HttpRequest.newBuilder(authorizeUri()).header("X-Forwarded-For", address).GET());
        assertThat(page.status()).isEqualTo(200);
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("email", email);
        fields.put("password", password);
        return send(browser, HttpRequest.newBuilder(URI.create(base() + "/oauth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    static void assertSignedIn(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(REDIRECT).contains("code=");
    }

    static void assertThrottled(Response r) {
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.body()).contains(THROTTLED);
        assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(r.header("Location")).isNull();
    }

    static String address() {
        return "198.51.100." + (1 + (int) (Math.random() * 250));
    }

    @Test
    void loginWhenTwelveWrongPasswordsForOneAccountThenAnotherAccountFromThatAddressSucceeds() {
        String a = signup()[2];
        String b = signup()[2];
        String office = "203.0.113.10";
        for (int i = 0; i < 12; i++) {
            Response r = login(browser(), office, a, "wrong password " + i);
            assertThat(r.status()).isIn(401, 429);
        }
        assertSignedIn(login(browser(), office, b, PASSWORD));
    }

    @Test
    void loginWhenOthersFailedOnTheAccountThenOwnerFromKnownDeviceStillGetsIn() {
        String owner = signup()[2];
        HttpClient ownersBrowser = browser();
        assertSignedIn(login(ownersBrowser, "203.0.113.20", owner, PASSWORD));

        for (int i = 0; i < 6; i++) {
            login(browser(), "192.0.2.66", owner, "guess " + i);
        }
        // a browser the account never signed in from waits like the guesser
        assertThrottled(login(browser(), "203.0.113.21", owner, PASSWORD));
        // the owner's own browser does not
        assertSignedIn(login(ownersBrowser, "203.0.113.20", owner, PASSWORD));
    }

    @Test
    void loginWhenSignedInThenDeviceCookieIsHttpOnlyLaxAndScopedToTheForm() {
        String user = signup()[2];
        Response r = login(browser(), address(), user, PASSWORD);
        assertSignedIn(r);
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lg_device=")).findFirst()
                .orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .containsIgnoringCase("Path=/oauth").doesNotContainIgnoringCase("Secure"); // http public URL here
        // only the hash is stored
        String value = cookie.substring("lg_device=".length(), cookie.indexOf(';'));
        assertThat(count("SELECT count(*) FROM auth.known_devices WHERE device_hash = ?", value)).isZero();
        assertThat(count("SELECT count(*) FROM auth.known_devices d JOIN auth.users u ON u.id = d.user_id WHERE u.email = ?",
                user)).isEqualTo(1);
    }

    @Test
    void loginWhenInsideTheDelayThenCorrectPasswordRefusedWithMessageAndAfterTheDelayWorks() {
        String user = signup()[2];
        String where = address();
        for (int i = 0; i < 3; i++) {
            assertThat(login(browser(), where, user, "wrong " + i).status()).isEqualTo(401);
        }
        Response refused = login(browser(), where, user, PASSWORD);
        assertThrottled(refused);

        // wait on the condition (the delay passing), never a fixed sleep
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        Response r = refused;
        while (r.status() == 429 && Instant.now().isBefore(deadline)) {
            r = login(browser(), where, user, PASSWORD);
        }
        assertSignedIn(r);
    }

    @Test
    void loginWhenUnknownAccountFailsRepeatedlyThenSameThrottleAnswerAsARealOne() {
        String where = address();
        String nobody = "nobody-" + UUID.randomUUID() + "@example.test";
        for (int i = 0; i < 3; i++) {
            assertThat(login(browser(), where, nobody, "wrong " + i).status()).isEqualTo(401);
        }
        assertThrottled(login(browser(), where, nobody, PASSWORD));
    }

    @Test
    void loginWhenAnAddressReachesItsLimitThenOnlyThatAddressIsStopped() {
        String victim = signup()[2];
        String sprayer = "192.0.2.200";
        for (int i = 0; i < 20; i++) {
            assertThat(login(browser(), sprayer, "spray-" + i + "-" + UUID.randomUUID() + "@example.test", "x-password")
                    .status()).isEqualTo(401);
        }
        assertThrottled(login(browser(), sprayer, victim, PASSWORD));
        assertSignedIn(login(browser(), "192.0.2.201", victim, PASSWORD));
    }

    @Test
    void loginWhenClientForgesForwardedForWithoutTrustedProxyThenItsPeerAddressCounts() {
        // the gateway replaces a client's own X-Forwarded-For; here the trusted hop is the test itself,
        // so the forged "first" entry is dropped and the rightmost untrusted one counts
        String user = signup()[2];
        for (int i = 0; i < 3; i++) {
            login(browser(), "10.9.9." + i + ", 192.0.2.150", user, "wrong " + i);
        }
        assertThrottled(login(browser(), "192.0.2.150", user, PASSWORD));
    }
}
