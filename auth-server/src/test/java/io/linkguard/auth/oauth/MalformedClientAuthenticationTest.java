package io.linkguard.auth.oauth;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed {@code Authorization: Basic} header is the client failing to authenticate: every
 * client-authenticating endpoint answers 401 {@code invalid_client} with a challenge, never 500.
 */
@MicronautTest(transactional = false)
class MalformedClientAuthenticationTest extends OAuthTestSupport {

    static List<String> endpoints() {
        return List.of("/oauth/token", "/oauth/revoke", "/oauth/introspect");
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every malformed header, named for the failure report. */
    static Map<String, String> malformed() {
        return Map.of(
                "not base64", "Basic %%%not-base64%%%",
                "no colon", "Basic " + b64("just-a-client-id"),
                "bad percent-encoding in the id", "Basic " + b64("client%zz:secret"),
                "bad percent-encoding in the secret", "Basic " + b64("client:secret%"),
                "empty credentials", "Basic ",
                "scheme only", "Basic",
                "empty id", "Basic " + b64(":secret"),
                "not UTF-8", "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':', 'x'}));
    }

    /** One test per endpoint and malformed header. */
    @TestFactory
    Stream<DynamicTest> authenticateWhenBasicHeaderMalformedThenInvalidClient401WithChallenge() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "token", "some-token");
        return endpoints().stream().flatMap(path -> malformed().entrySet().stream().map(c -> DynamicTest.dynamicTest(
                path + " with " + c.getKey(), () -> {
            String name = c.getKey();
            String header = c.getValue();
            Response r = send(http, HttpRequest.newBuilder(URI.create(base() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.ofString(form(form))));
            assertThat(r.status()).as(path + " with " + name + ": " + r.body()).isEqualTo(401);
            assertThat(field(r.body(), "error")).as(name).isEqualTo("invalid_client");
            assertThat(r.body()).as(name).contains("error_description").doesNotContain("Exception");
            assertThat(r.header("WWW-Authenticate")).as(name).startsWith("Basic");
            assertThat(r.header("Cache-Control")).as(name).isEqualTo("no-store");
        })));
    }
}
