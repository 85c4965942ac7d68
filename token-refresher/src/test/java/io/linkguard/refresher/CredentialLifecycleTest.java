package io.linkguard.refresher;

import io.linkguard.testsupport.Await;
import io.linkguard.mock.Failure;
import io.linkguard.mock.MockProviderConfig;
import io.linkguard.refresher.credential.TokenCipher;
import io.linkguard.refresher.refresh.RefreshService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every credential is in a known state with a next time: rows that cannot be refreshed never spin
 * or starve the others, key rotation keeps every ciphertext readable, a burst is one refresh, and
 * only an OAuth code that means it makes a connection need a reconnect.
 */
@MicronautTest(transactional = false)
class CredentialLifecycleTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    TokenCipher cipher;
    @Inject
    RefreshService refresh;

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @BeforeEach
    void resetMock() {
        mock.clearFailures();
        mock.resetCounters();
        mock.accessTokenLifetime(Duration.ofHours(1));
        mock.rotateRefreshTokens(true);
        received.clear();
    }

    Response token(String base, UUID id) {
        return call(base, "POST", "/api/connections/" + id + "/access-token", worker(), null);
    }

    private void await(String what, java.util.function.BooleanSupplier condition, Duration bound) {
        Await.until(what, bound, condition);
    }

    @Test
    void backgroundWhen500PoisonedAnd100HealthyThenEveryHealthyOneIsRefreshedAndTheRunEnds() {
        updateRows("DELETE FROM refresher.report_outbox");
        Object before = column("SELECT clock_timestamp()");
        seed(base(), cipher, refresh, "poison", 500, Instant.now().plusSeconds(120));
        // no client for their provider: Linkguard itself cannot refresh them (rows of other tests stay as they are)
        assertThat(updateRows("UPDATE refresher.credentials SET provider_key = 'unconfigured'"
                + " WHERE updated_at >= ?", before)).isEqualTo(500);
        List<String> healthy = seed(base(), cipher, refresh, "ok", 100, Instant.now().plusSeconds(120));
        mock.resetCounters();
        Map<String, Object> jobProps = new HashMap<>(getProperties());
        jobProps.put("linkguard.refresher.background.enabled", "true");
        jobProps.put("linkguard.refresher.background.interval", "300ms");
        try (ApplicationContext job = ApplicationContext.run(EmbeddedServer.class, jobProps).getApplicationContext()) {
            await("every healthy credential refreshed once", () -> healthy.stream().allMatch(u -> mock.refreshRequests(u) == 1),
                    Duration.ofSeconds(60));
            // every poisoned row tried once (the job works on many rows at a time, healthy ones finish first) ...
            await("every poisoned row tried", () -> Long.valueOf(500).equals(column("SELECT count(*) FROM refresher.credentials"
                    + " WHERE provider_key = 'unconfigured' AND consecutive_failures > 0")), Duration.ofSeconds(60));
            // ... and then a few more cycles: nothing is claimed again and again
            Object failuresNow = column("SELECT coalesce(sum(consecutive_failures), 0) FROM refresher.credentials"
                    + " WHERE provider_key = 'unconfigured'");
            Await.holdsFor("no poisoned row is tried again", Duration.ofSeconds(2), () -> failuresNow.equals(column(
                    "SELECT coalesce(sum(consecutive_failures), 0) FROM refresher.credentials WHERE provider_key = 'unconfigured'")));
        }
        assertThat(mock.refreshRequests()).isEqualTo(100);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE provider_key = 'unconfigured'"
                + " AND last_error = 'linkguard_cannot_refresh' AND next_attempt_at > now() + interval '10 minutes'"))
                .as("each poisoned row has a visible state and a next time").isEqualTo(500L);
        assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE '%linkguard_cannot_refresh%'"))
                .as("each is reported to connector-health, once").isEqualTo(500L);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE lease_owner IS NOT NULL")).isEqualTo(0L);
    }

    @Test
    void refreshWhenProviderIsConfiguredOnlyInAuthServerThenTheRefresherUsesThatDefinition() {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.keySet().removeIf(k -> k.startsWith("linkguard.refresher.providers."));
        String user = "configured-once-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        int asked = providerQuestions.get();
        try (ApplicationContext plain = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext()) {
            String plainBase = "http://127.0.0.1:" + plain.getBean(EmbeddedServer.class).getPort();
            Response r = token(plainBase, id);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(mock.refreshRequests(user)).isEqualTo(1);
            assertThat(providerQuestions.get()).isGreaterThan(asked);
            // a provider nobody configured: a visible state with a next time, not an endless 503
            String other = "unconfigured-" + UUID.randomUUID();
            UUID lost = store(base(), other, Instant.now().plusSeconds(20).toString());
            sql("UPDATE refresher.credentials SET provider_key = 'gitlab' WHERE auth_profile_id = ?", lost);
            assertThat(token(plainBase, lost).status()).as("its token is still valid for 20 s").isEqualTo(200);
            assertThat(column("SELECT last_error FROM refresher.credentials WHERE auth_profile_id = ?", lost))
                    .isEqualTo(RefreshService.CANNOT_REFRESH);
            assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE ? AND body LIKE '%\"permanent\":true%'",
                    "%" + lost + "%")).isEqualTo(1L);
        }
    }

    @Test
    void refreshWhenCredentialWasObtainedWithAClientThenExactlyThatClientIsAskedFor() {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.keySet().removeIf(k -> k.startsWith("linkguard.refresher.providers."));
        try (ApplicationContext plain = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext()) {
            String plainBase = "http://127.0.0.1:" + plain.getBean(EmbeddedServer.class).getPort();
            String user = "pinned-" + UUID.randomUUID();
            UUID id = storeWithClient(plainBase, user, MockProviderConfig.DEFAULT_CLIENT_ID);
            assertThat(token(plainBase, id).status()).isEqualTo(200);
            assertThat(mock.refreshRequests(user)).isEqualTo(1);
            assertThat(providerQueries).anyMatch(q -> q.contains("clientId=" + MockProviderConfig.DEFAULT_CLIENT_ID));
            // made with an org app that has since been deleted: never refreshed with another client, and visible
            String other = "app-gone-" + UUID.randomUUID();
            UUID orphan = storeWithClient(plainBase, other, "deleted-org-app");
            assertThat(token(plainBase, orphan).status()).as("its token is still valid for 20 s").isEqualTo(200);
            assertThat(mock.refreshRequests(other)).isZero();
            assertThat(providerQueries).anyMatch(q -> q.contains("clientId=deleted-org-app"));
            assertThat(column("SELECT last_error FROM refresher.credentials WHERE auth_profile_id = ?", orphan))
                    .isEqualTo(RefreshService.CANNOT_REFRESH);
        }
    }

    @Test
    void refreshWhenProviderHasPerTenantUrlsThenEachConnectionIsAskedForAndAnswersAreKeptPerConnection() {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.keySet().removeIf(k -> k.startsWith("linkguard.refresher.providers."));
        try (ApplicationContext plain = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext()) {
            String plainBase = "http://127.0.0.1:" + plain.getBean(EmbeddedServer.class).getPort();
            String a = "tenant-a-" + UUID.randomUUID();
            String b = "tenant-b-" + UUID.randomUUID();
            UUID first = storeWithClient(plainBase, a, MockProviderConfig.DEFAULT_CLIENT_ID);
            UUID second = storeWithClient(plainBase, b, MockProviderConfig.DEFAULT_CLIENT_ID);
            sql("UPDATE refresher.credentials SET provider_key = 'tenantmock' WHERE auth_profile_id = ?", first);
            sql("UPDATE refresher.credentials SET provider_key = 'tenantmock' WHERE auth_profile_id = ?", second);
            providerQueries.clear();
            assertThat(token(plainBase, first).status()).isEqualTo(200);
            assertThat(token(plainBase, second).status()).isEqualTo(200);
            assertThat(mock.refreshRequests(a)).isEqualTo(1);
            assertThat(mock.refreshRequests(b)).isEqualTo(1);
            assertThat(providerQueries).as("one question per connection, each naming it")
                    .anyMatch(q -> q.contains("authProfileId=" + first)).anyMatch(q -> q.contains("authProfileId=" + second));
            // a connection without the values its provider's URLs need: a visible state, not a retry loop
            String c = "tenant-c-" + UUID.randomUUID();
            UUID third = storeWithClient(plainBase, c, MockProviderConfig.DEFAULT_CLIENT_ID);
            sql("UPDATE refresher.credentials SET provider_key = 'tenantmock' WHERE auth_profile_id = ?", third);
            badTenants.add(third.toString());
            assertThat(token(plainBase, third).status()).as("its token is still valid for 20 s").isEqualTo(200);
            assertThat(mock.refreshRequests(c)).isZero();
            assertThat(column("SELECT last_error FROM refresher.credentials WHERE auth_profile_id = ?", third))
                    .isEqualTo(RefreshService.CANNOT_REFRESH);
        }
    }

    private UUID storeWithClient(String base, String user, String clientId) {
        UUID id = UUID.randomUUID();
        String[] g = grant(user);
        Response r = call(base, "PUT", "/internal/credentials/" + id, issuer.internalToken("linkguard-auth-server"),
                "{\"orgId\":\"" + orgA + "\",\"userId\":\"" + UUID.randomUUID() + "\",\"connectorKey\":\"mock\","
                        + "\"providerKey\":\"mock\",\"accessToken\":\"" + g[0] + "\",\"refreshToken\":\"" + g[1]
                        + "\",\"expiresAt\":\"" + Instant.now().plusSeconds(20) + "\",\"clientId\":\"" + clientId + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        sql("UPDATE refresher.credentials SET last_refreshed_at = now() - interval '1 hour' WHERE auth_profile_id = ?", id);
        return id;
    }

    @Test
    void storeWhenTokenNeverExpiresAndHasNoRefreshTokenThenItIsNeverDue() {
        assertThat(refresh.nextRefreshAt(null, false)).isNull();
        Instant expiry = Instant.now().plusSeconds(600);
        assertThat(refresh.nextRefreshAt(expiry, false)).isEqualTo(expiry);
        assertThat(refresh.nextRefreshAt(null, true)).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    @Test
    void tokenWhenBurstOf50OverOneSecondWithTokensShorterThanTheSkewThenOneRefresh() throws Exception {
        mock.accessTokenLifetime(Duration.ofSeconds(30));   // shorter than the 60 s skew
        String user = "burst-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        ScheduledExecutorService callers = Executors.newScheduledThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(callers.schedule(() -> token(base(), id), i * 20L, TimeUnit.MILLISECONDS));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<Response> f : answers) {
                Response r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                tokens.add(field(r.body(), "accessToken"));
            }
            assertThat(mock.refreshRequests(user)).isEqualTo(1);
            assertThat(tokens.stream().distinct()).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void refreshWhenKeyRotatedAndProviderKeepsRefreshTokenThenEveryCiphertextMovesToTheNewKey() {
        mock.rotateRefreshTokens(false);   // like Google and Notion
        String user = "rotation-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());   // sealed under k1
        String k2 = key();
        Map<String, Object> both = new HashMap<>(getProperties());
        both.put("linkguard.refresher.keys", "k1:" + TOKEN_KEY + ",k2:" + k2);
        both.put("linkguard.refresher.active-key", "k2");
        Map<String, Object> onlyK2 = new HashMap<>(getProperties());
        onlyK2.put("linkguard.refresher.keys", "k2:" + k2);
        onlyK2.put("linkguard.refresher.active-key", "k2");
        try (ApplicationContext rotated = ApplicationContext.run(EmbeddedServer.class, both).getApplicationContext()) {
            String rotatedBase = "http://127.0.0.1:" + rotated.getBean(EmbeddedServer.class).getPort();
            assertThat(token(rotatedBase, id).status()).isEqualTo(200);
            assertThat(column("SELECT key_id FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("k2");
        }
        // the old key is removed: the row must still refresh (its refresh token was re-sealed too)
        sql("UPDATE refresher.credentials SET expires_at = now() + interval '5 seconds',"
                + " last_refreshed_at = now() - interval '1 hour' WHERE auth_profile_id = ?", id);
        try (ApplicationContext k2Only = ApplicationContext.run(EmbeddedServer.class, onlyK2).getApplicationContext()) {
            String k2Base = "http://127.0.0.1:" + k2Only.getBean(EmbeddedServer.class).getPort();
            Response r = token(k2Base, id);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(mock.refreshRequests(user)).isEqualTo(2);
    }

    @Test
    void reencryptWhenKeyRotatedThenEveryRowMovesToTheActiveKeyAndTheOldKeyCanGo() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(store(base(), "reseal-" + UUID.randomUUID(), Instant.now().plusSeconds(3600).toString()));
        }
        String k2 = key();
        Map<String, Object> rotated = new HashMap<>(getProperties());
        rotated.put("linkguard.refresher.keys", "k1:" + TOKEN_KEY + ",k2:" + k2);
        rotated.put("linkguard.refresher.active-key", "k2");
        rotated.put("linkguard.refresher.reencrypt.interval", "200ms");
        rotated.put("linkguard.refresher.reencrypt.initial-delay", "500ms");
        try (ApplicationContext job = ApplicationContext.run(EmbeddedServer.class, rotated).getApplicationContext()) {
            await("every row under k2", () -> (Long) column("SELECT count(*) FROM refresher.credentials WHERE key_id = 'k1'") == 0L,
                    Duration.ofSeconds(40));
        }
        Map<String, Object> onlyK2 = new HashMap<>(getProperties());
        onlyK2.put("linkguard.refresher.keys", "k2:" + k2);
        onlyK2.put("linkguard.refresher.active-key", "k2");
        try (ApplicationContext k2Only = ApplicationContext.run(EmbeddedServer.class, onlyK2).getApplicationContext()) {
            String k2Base = "http://127.0.0.1:" + k2Only.getBean(EmbeddedServer.class).getPort();
            for (UUID id : ids) {
                Response r = token(k2Base, id);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void refreshWhenProviderAnswersABare403PageThenTransientNotReconnect() {
        String user = "waf-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        mock.injectFailure(Failure.forbiddenPage(), 1);
        Response r = token(base(), id);
        assertThat(r.status()).as("the current token is still valid and is returned").isEqualTo(200);
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("active");
        assertThat(column("SELECT last_error FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("http_403");
        assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE '%needs_reauth%' AND body LIKE ?",
                "%" + id + "%")).isEqualTo(0L);
    }

    @Test
    void refreshWhenTransientFailuresLastBeyondTheGiveUpThenNeedsReauthIsReported() {
        String user = "giveup-" + UUID.randomUUID();
        UUID id = store(base(), user, Instant.now().plusSeconds(20).toString());
        // failing transiently for four days already (the give-up is three)
        sql("UPDATE refresher.credentials SET consecutive_failures = 40, first_failure_at = now() - interval '4 days'"
                + " WHERE auth_profile_id = ?", id);
        mock.injectFailure(Failure.serverError(), 1);
        Response r = token(base(), id);
        assertThat(r.status()).isEqualTo(409);
        assertThat(field(r.body(), "type")).endsWith("/needs-reauth");
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("needs_reauth");
        assertThat(column("SELECT count(*) FROM refresher.report_outbox WHERE body LIKE '%temporarily_unavailable%' AND body LIKE ?",
                "%" + id + "%")).isEqualTo(1L);
    }
}
