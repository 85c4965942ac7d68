package io.linkguard.refresher.provider;

import io.linkguard.mock.MockProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.linkguard.mock.MockProviderConfig;
import io.linkguard.mock.Quirk;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a refresh answer is read when the provider departs from RFC 6749, against the mock
 * imitating each departure: what {@link ProviderClient} makes of it decides whether the
 * connection needs re-auth (a refusal with a permanent code), is retried, or is refreshed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderClientQuirksTest {

    final MockProvider mock = MockProvider.start(MockProviderConfig.defaults());
    final ProviderClient client = new ProviderClient(ObjectMapper.getDefault(), new SimpleMeterRegistry(), OpenTelemetry.noop());
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void reset() {
        mock.reset();
    }

    @AfterAll
    void stop() {
        mock.close();
    }

    ProviderConfiguration provider(String authStyle) {
        return new ProviderConfiguration("mock", mock.tokenEndpoint(), MockProviderConfig.DEFAULT_CLIENT_ID,
                MockProviderConfig.DEFAULT_CLIENT_SECRET, authStyle, 1000, null);
    }

    @Test
    void refreshWhenErrorComesIn200BodyThenRefusedWithItsCode() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.ERRORS_IN_OK_BODY));
        mock.revokeUser("demo");
        RefreshOutcome outcome = client.refresh(provider("basic"), rt);
        assertThat(outcome).isEqualTo(new RefreshOutcome.Refused(200, "invalid_grant", null));
    }

    @Test
    void refreshWhenSlackOkFalseThenRefusedWithSlacksCode() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.OK_FALSE_ENVELOPE));
        mock.revokeUser("demo");
        assertThat(client.refresh(provider("basic"), rt))
                .isEqualTo(new RefreshOutcome.Refused(200, "invalid_refresh_token", null));
    }

    @Test
    void refreshWhenSlackOkTrueThenRefreshed() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.OK_FALSE_ENVELOPE));
        assertThat(client.refresh(provider("basic"), rt)).isInstanceOf(RefreshOutcome.Refreshed.class);
    }

    @Test
    void refreshWhenNoExpiresInThenRefreshedWithoutExpiry() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.NO_EXPIRY));
        RefreshOutcome.Refreshed r = (RefreshOutcome.Refreshed) client.refresh(provider("basic"), rt);
        assertThat(r.expiresAt()).isNull();
        assertThat(r.accessToken()).isNotBlank();
    }

    @Test
    void refreshWhenScopesCommaSeparatedThenSplit() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.COMMA_SCOPES));
        RefreshOutcome.Refreshed r = (RefreshOutcome.Refreshed) client.refresh(provider("basic"), rt);
        assertThat(r.scopes()).containsExactly("read", "write");
        assertThat(r.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void refreshWhenRefreshTokensDoNotRotateThenSameTokenKeepsWorking() throws Exception {
        String rt = connect();
        mock.rotateRefreshTokens(false);
        for (int i = 0; i < 2; i++) {
            RefreshOutcome.Refreshed r = (RefreshOutcome.Refreshed) client.refresh(provider("basic"), rt);
            assertThat(r.refreshToken()).isIn(null, rt);
        }
    }

    @Test
    void refreshWhenProviderTakesOnlyOneClientAuthStyleThenThatStyleWorksAndTheOtherIsInvalidClient() throws Exception {
        String rt = connect();
        mock.quirks(Set.of(Quirk.CLIENT_AUTH_POST_ONLY));
        assertThat(client.refresh(provider("basic"), rt)).isEqualTo(new RefreshOutcome.Refused(401, "invalid_client", null));
        RefreshOutcome.Refreshed r = (RefreshOutcome.Refreshed) client.refresh(provider("post"), rt);
        mock.quirks(Set.of(Quirk.CLIENT_AUTH_BASIC_ONLY));
        assertThat(client.refresh(provider("post"), r.refreshToken())).isEqualTo(new RefreshOutcome.Refused(401, "invalid_client", null));
        assertThat(client.refresh(provider("basic"), r.refreshToken())).isInstanceOf(RefreshOutcome.Refreshed.class);
    }

    /** The mock's authorize + code exchange, as auth-server would do it; returns the refresh token. */
    String connect() throws Exception {
        String redirect = "http://localhost:1/cb";
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(URI.create(mock.authorizationEndpoint()
                + "?response_type=code&client_id=" + MockProviderConfig.DEFAULT_CLIENT_ID + "&redirect_uri=" + redirect
                + "&state=s&scope=read%20write")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(auth.headers().firstValue("Location").orElseThrow());
        assertThat(code.find()).isTrue();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(mock.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((MockProviderConfig.DEFAULT_CLIENT_ID
                        + ":" + MockProviderConfig.DEFAULT_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code.group(1)
                        + "&redirect_uri=" + redirect)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher rt = Pattern.compile("\"refresh_token\":\"([^\"]+)\"").matcher(token.body());
        assertThat(rt.find()).as(token.body()).isTrue();
        return rt.group(1);
    }
}
