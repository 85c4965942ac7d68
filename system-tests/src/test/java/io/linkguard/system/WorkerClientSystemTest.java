package io.linkguard.system;

import io.linkguard.testsupport.Await;
import com.fasterxml.jackson.databind.JsonNode;
import io.linkguard.client.AuthenticationException;
import io.linkguard.client.AutomationState;
import io.linkguard.client.Connection;
import io.linkguard.client.ForbiddenException;
import io.linkguard.client.FreshToken;
import io.linkguard.client.LinkguardClient;
import io.linkguard.client.NeedsReauthException;
import io.linkguard.client.NotFoundException;
import io.linkguard.client.Report;
import io.linkguard.client.ReportResult;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's worker flow with the Java client ({@code linkguard-client}) through the real
 * gateway: find a user's connection, get a fresh provider token, report outcomes, read the
 * automation state — and once the grant is revoked at the provider, a typed needs-reauth with the
 * reconnect link. Also the client's errors as the real services answer them.
 */
class WorkerClientSystemTest {

    final RunningSystem sys = RunningSystem.get();

    @Test
    void workerFlowWhenDrivenByTheJavaClientThenEachCallAnswersAndARevokedGrantIsANeedsReauth() throws Exception {
        Tenant t = Tenant.create(sys);
        String[] member = t.addMember(sys, "member");
        UUID userId = UUID.fromString(member[0]);
        // a mock-provider account of its own, so revoking its grants touches no other test's connection
        String providerUser = "worker-client-" + UUID.randomUUID();
        String mock = sys.url("mock-provider");
        long lifetime = Http.get(mock + "/control/settings", null).json().get("accessTokenLifetimeSeconds").asLong();
        // Provider tokens that live 5 s: token-refresher serves a stored token while it is fresh, so a
        // revoked grant only shows when the token has to be refreshed.
        assertThat(Http.putJson(mock + "/control/settings", null, Map.of("accessTokenLifetimeSeconds", 5)).status()).isEqualTo(200);
        try {
            UUID profileId = UUID.fromString(connectMockAs(member[1], providerUser));

            LinkguardClient linkguard = LinkguardClient.builder().baseUrl(URI.create(sys.gateway()))
                    .clientCredentials(t.account.clientId(), t.account.clientSecret())
                    .scopes("health:report tokens:read").build();

            // find the user's connection
            Connection c = linkguard.findConnection(userId, "mock").orElseThrow();
            assertThat(c.id()).isEqualTo(profileId);
            assertThat(c.userId()).isEqualTo(userId);
            assertThat(c.connector()).isEqualTo("mock");
            assertThat(c.status()).isEqualTo("active");
            assertThat(linkguard.findConnections(userId, null)).containsExactly(c);
            assertThat(linkguard.findConnection(userId, "github")).isEmpty();
            assertThat(linkguard.findConnections(UUID.randomUUID(), "mock")).isEmpty();

            // a fresh provider token, which the provider accepts
            FreshToken token = linkguard.freshToken(c.id());
            assertThat(token.accessToken()).isNotBlank();
            assertThat(token.tokenType()).isEqualToIgnoringCase("Bearer");
            assertThat(token.expiresAt()).isAfter(Instant.now());

            // a success, a failure, and a late report that is not applied over newer news (so no status)
            ReportResult ok = linkguard.report(Report.success(userId, "mock"));
            assertThat(ok.results()).containsExactly(new ReportResult.Item(userId, "mock", true, "connected", null));
            ReportResult failed = linkguard.report(Report.failure(userId, "github", null)
                    .withProviderResponse("{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}"));
            assertThat(failed.results()).containsExactly(new ReportResult.Item(userId, "github", true, "needs_reauth", "invalid_grant"));
            ReportResult batch = linkguard.reportBatch(List.of(
                    Report.failure(userId, "mock", "invalid_grant").withObservedAt(Instant.now().minus(Duration.ofHours(1))),
                    Report.success(userId, "github")));
            assertThat(batch.results()).extracting(ReportResult.Item::connector, ReportResult.Item::applied, ReportResult.Item::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("mock", false, null),
                            org.assertj.core.groups.Tuple.tuple("github", true, "connected"));

            // the automation state, before and after the user pauses
            AutomationState running = linkguard.automationState(userId);
            assertThat(running.effectivePaused()).isFalse();
            assertThat(running.pausedBy()).isNull();
            assertThat(Http.putJson(sys.gateway() + "/api/users/" + userId + "/automation-pause", member[1],
                    Map.of("paused", true, "reason", "on holiday")).status()).isEqualTo(200);
            AutomationState paused = linkguard.automationState(userId);
            assertThat(paused.effectivePaused()).isTrue();
            assertThat(paused.userPaused()).isTrue();
            assertThat(paused.pausedBy()).isEqualTo("user");
            assertThat(paused.pausedReason()).isEqualTo("on holiday");
            assertThat(Http.putJson(sys.gateway() + "/api/users/" + userId + "/automation-pause", member[1],
                    Map.of("paused", false)).status()).isEqualTo(200);

            // the user takes the grant back at the provider: once the stored token runs out, no new
            // one can be had and the worker is told to send the user to reconnect
            JsonNode revoked = Http.post(mock + "/control/users/" + providerUser + "/revoke", null).json();
            assertThat(revoked.get("revokedGrants").asInt()).isPositive();
            NeedsReauthException reauth = awaitNeedsReauth(linkguard, c.id());
            assertThat(reauth.status()).isEqualTo(409);
            assertThat(reauth.slug()).isEqualTo("needs-reauth");
            assertThat(reauth.connector()).isEqualTo("mock");
            assertThat(reauth.reconnectUrl()).isEqualTo(URI.create(sys.config.publicUrl() + "/reconnect/mock"));
            assertThat(linkguard.findConnection(userId, "mock").orElseThrow().status()).isEqualTo("needs_reauth");
        } finally {
            Http.putJson(mock + "/control/settings", null, Map.of("accessTokenLifetimeSeconds", lifetime));
        }
    }

    @Test
    void clientWhenCredentialsScopeOrIdsAreWrongThenTypedErrorsFromTheRealServices() {
        Tenant t = Tenant.create(sys);
        URI gw = URI.create(sys.gateway());

        LinkguardClient wrongSecret = LinkguardClient.builder().baseUrl(gw)
                .clientCredentials(t.account.clientId(), "not-the-secret").build();
        assertThatThrownBy(() -> wrongSecret.automationState(UUID.fromString(t.account.userId())))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.oauthError()).isEqualTo("invalid_client");
                });

        LinkguardClient reportsOnly = LinkguardClient.builder().baseUrl(gw)
                .clientCredentials(t.account.clientId(), t.account.clientSecret()).scopes("health:report").build();
        assertThatThrownBy(() -> reportsOnly.freshToken(UUID.randomUUID()))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.status()).isEqualTo(403));

        LinkguardClient worker = LinkguardClient.builder().baseUrl(gw)
                .clientCredentials(t.account.clientId(), t.account.clientSecret()).build();
        assertThatThrownBy(() -> worker.freshToken(UUID.randomUUID()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).startsWith("https://linkguard.dev/problems/");
                });
        assertThatThrownBy(() -> worker.report(Report.success(UUID.fromString(t.account.userId()), "Not A Connector")))
                .isInstanceOfSatisfying(io.linkguard.client.LinkguardException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).startsWith("connector:");
                });
    }

    /** Asks for a token until the refresh that the revocation makes fail has happened. */
    private static NeedsReauthException awaitNeedsReauth(LinkguardClient linkguard, UUID connection) {
        java.util.concurrent.atomic.AtomicReference<NeedsReauthException> refused = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until("a needs-reauth after the revocation", Duration.ofSeconds(60), () -> {
            try {
                linkguard.freshToken(connection);
                return false;
            } catch (NeedsReauthException e) {
                refused.set(e);
                return true;
            }
        });
        return refused.get();
    }

    /**
     * The connect flow as {@link Tenant#connectMock} walks it, but signed in at the provider as
     * {@code providerUser} (the mock's {@code login_hint}).
     */
    private String connectMockAs(String userToken, String providerUser) {
        Http.Response created = Tenant.createProfile(sys, userToken, "mock", null);
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        String connectUrl = created.json().get("connectUrl").asText();
        Http.Response page = Http.get(connectUrl, null);
        assertThat(page.status()).isEqualTo(200);
        Http.Response start = ConnectFlow.pressContinue(connectUrl, page);
        assertThat(start.status()).isEqualTo(303);
        Http.Response provider = Http.get(start.header("Location") + "&login_hint=" + Http.enc(providerUser), null);
        assertThat(provider.status()).isEqualTo(302);
        Http.Response callback = Http.get(provider.header("Location"), null);
        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.header("Location")).endsWith("/app/?connected=mock");
        return created.json().get("authProfile").get("id").asText();
    }
}
