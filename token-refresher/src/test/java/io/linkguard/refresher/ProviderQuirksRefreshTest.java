package io.linkguard.refresher;

import io.linkguard.mock.Quirk;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals that come back as HTTP 200 (GitHub's error body, Slack's {@code ok:false}) end a
 * connection like an RFC 6749 400 does: needs re-auth, no retries against the provider.
 */
@MicronautTest(transactional = false)
class ProviderQuirksRefreshTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @BeforeEach
    void resetMock() {
        mock.reset();
        received.clear();
    }

    @Test
    void tokenWhenSlackAnswersOkFalseInvalidRefreshTokenThen409NeedsReauth() {
        assertNeedsReauthWhenRevoked(Quirk.OK_FALSE_ENVELOPE);
    }

    @Test
    void tokenWhenProviderAnswersErrorIn200ThenDeadCredentialNeedsReauth() {
        assertNeedsReauthWhenRevoked(Quirk.ERRORS_IN_OK_BODY);
    }

    @Test
    void tokenWhenProviderGivesNoExpiryThenRefreshedTokenStoredWithoutExpiryAndServedWithoutRefresh() {
        String user = "noexp-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        mock.quirks(Set.of(Quirk.NO_EXPIRY));
        Response r = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(column("SELECT expires_at FROM refresher.credentials WHERE auth_profile_id = ?", id)).isNull();
        long before = mock.refreshRequests(user);
        assertThat(call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(200);
        assertThat(mock.refreshRequests(user)).as("a token without expiry is never refreshed").isEqualTo(before);
    }

    private void assertNeedsReauthWhenRevoked(Quirk quirk) {
        String user = "quirk-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        mock.quirks(Set.of(quirk));
        mock.revokeUser(user);
        Response r = call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(field(r.body(), "type")).endsWith("/needs-reauth");
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("needs_reauth");
        long before = mock.refreshRequests(user);
        assertThat(call(base(), "POST", "/api/connections/" + id + "/access-token", worker(), null).status()).isEqualTo(409);
        assertThat(mock.refreshRequests(user)).isEqualTo(before);
    }
}
