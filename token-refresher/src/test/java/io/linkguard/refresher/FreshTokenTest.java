package io.linkguard.refresher;

import io.linkguard.mock.Failure;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class FreshTokenTest extends RefresherTestSupport {

    @Inject
    EmbeddedServer server;

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @BeforeEach
    void resetMock() {
        mock.clearFailures();
        mock.resetCounters();
        received.clear();
    }

    String expiring() {
        return Instant.now().plusSeconds(20).toString(); // inside the 60 s skew: must be refreshed
    }

    Response token(String base, UUID id, String bearer) {
        return call(base, "POST", "/api/connections/" + id + "/access-token", bearer, null);
    }

    void awaitReport(String fragment) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (received.stream().noneMatch(r -> r.contains(fragment)) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(received).anyMatch(r -> r.contains(fragment));
    }

    @Test
    void tokenWhenNotExpiringThenStoredTokenWithoutProviderCall() {
        UUID id = store(base(), "fresh-" + UUID.randomUUID(), Instant.now().plusSeconds(3600).toString());
        Response r = token(base(), id, worker());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"tokenType\":\"Bearer\"").contains("\"scopes\":[\"read\"]");
        assertThat(mock.refreshRequests()).isZero();
        byte[] stored = (byte[]) column("SELECT access_token_ct FROM refresher.credentials WHERE auth_profile_id = ?", id);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(field(r.body(), "accessToken"));
    }

    @Test
    void tokenWhen50ConcurrentCallersThenProviderSeesOneRefreshAndAllGetTheSameToken() throws Exception {
        String user = "race-" + UUID.randomUUID();
        UUID id = store(base(), user, expiring());
        List<Response> answers = race(50, () -> token(base(), id, worker()));
        assertThat(answers).allMatch(r -> r.status() == 200);
        assertThat(answers.stream().map(r -> field(r.body(), "accessToken")).distinct()).hasSize(1);
        assertThat(mock.refreshRequests(user)).isEqualTo(1);
        assertThat(mock.isAccessTokenActive(field(answers.get(0).body(), "accessToken"))).isTrue();
    }

    @Test
    void tokenWhenTwoInstancesRaceThenOneRefreshAndNewestTokenStored() throws Exception {
        Map<String, Object> props = new HashMap<>(getProperties());
        try (ApplicationContext second = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext()) {
            String secondBase = "http://127.0.0.1:" + second.getBean(EmbeddedServer.class).getPort();
            String user = "coder-" + UUID.randomUUID();
            UUID id = store(base(), user, expiring());
            List<Response> answers = race(100, new Callable<>() {
                int n;

                @Override
                public synchronized Response call() {
                    return token(n++ % 2 == 0 ? base() : secondBase, id, worker());
                }
            });
            assertThat(answers).allMatch(r -> r.status() == 200);
            assertThat(mock.refreshRequests(user)).as("one refresh across both replicas").isEqualTo(1);
            String newest = field(answers.get(0).body(), "accessToken");
            assertThat(answers.stream().map(r -> field(r.body(), "accessToken")).distinct()).containsExactly(newest);
            // the stored token is the one the provider considers current: a later call returns it without refreshing
            assertThat(mock.isAccessTokenActive(newest)).isTrue();
            assertThat(column("SELECT version FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo(2L);
        }
    }

    @Test
    void tokenWhenGrantRevokedThen409NeedsReauthAndReportsSent() {
        String user = "revoked-" + UUID.randomUUID();
        UUID id = store(base(), user, expiring());
        mock.revokeUser(user);
        Response r = token(base(), id, worker());
        assertThat(r.status()).isEqualTo(409);
        assertThat(field(r.body(), "type")).endsWith("/needs-reauth");
        assertThat(field(r.body(), "reconnectUrl")).isEqualTo("https://linkguard.example/reconnect/mock");
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("needs_reauth");
        awaitReport("\"errorCode\":\"invalid_grant\"");
        awaitReport("/internal/auth-profiles/" + id + "/status");
        // a dead credential is not retried against the provider again and again
        long before = mock.refreshRequests(user);
        assertThat(token(base(), id, worker()).status()).isEqualTo(409);
        assertThat(mock.refreshRequests(user)).isEqualTo(before);
    }

    @Test
    void tokenWhenProviderAnswers500Or429ThenBackoffAndNoNeedsReauth() {
        String user = "flaky-" + UUID.randomUUID();
        UUID id = store(base(), user, expiring());
        mock.injectFailure(Failure.serverError(), 1);
        Response r = token(base(), id, worker());
        assertThat(r.status()).as("the current token is still valid and is returned").isEqualTo(200);
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("active");
        assertThat(column("SELECT consecutive_failures FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo(1);
        awaitReport("\"permanent\":false");

        String user2 = "limited-" + UUID.randomUUID();
        UUID id2 = store(base(), user2, expiring());
        mock.injectFailure(Failure.tooManyRequests(120), 1);
        assertThat(token(base(), id2, worker()).status()).isEqualTo(200);
        java.sql.Timestamp next = (java.sql.Timestamp) column("SELECT next_attempt_at FROM refresher.credentials WHERE auth_profile_id = ?", id2);
        assertThat(next.toInstant()).as("Retry-After is honoured").isAfter(Instant.now().plusSeconds(100));
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id2)).isEqualTo("active");
    }

    @Test
    void tokenWhenConnectionDroppedAfterRotationThenNotReplayed() {
        String user = "dropped-" + UUID.randomUUID();
        UUID id = store(base(), user, expiring());
        mock.injectFailure(Failure.rotateThenDrop(), 1);
        token(base(), id, worker());
        assertThat(column("SELECT status FROM refresher.credentials WHERE auth_profile_id = ?", id)).isEqualTo("refresh_uncertain");
        long sent = mock.refreshRequests(user);
        assertThat(sent).isEqualTo(1);
        token(base(), id, worker());
        token(base(), id, worker());
        assertThat(mock.refreshRequests(user)).as("the possibly-rotated refresh token is not sent again at once").isEqualTo(sent);
    }

    @Test
    void tokenWhenProviderDownThenBreakerOpensAndStopsCallingIt() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(store(base(), "outage-" + UUID.randomUUID(), Instant.now().plusSeconds(2).toString()));
        }
        mock.resetCounters();
        mock.injectFailureUntilCleared(Failure.serverError());
        for (UUID id : ids) {
            token(base(), id, worker());
        }
        long reached = mock.refreshRequests();
        assertThat(reached).as("after 5 transient failures the breaker opens").isLessThanOrEqualTo(5);
        for (UUID id : ids) {
            Response r = token(base(), id, worker());
            assertThat(r.status()).isIn(200, 503);
            assertThat(r.body()).doesNotContain("needs-reauth");
        }
        assertThat(mock.refreshRequests()).isEqualTo(reached);
        assertThat(column("SELECT count(*) FROM refresher.credentials WHERE status = 'needs_reauth' AND auth_profile_id = ANY(?)",
                (Object) ids.toArray(UUID[]::new))).isEqualTo(0L);
    }

    @Test
    void findWhenWorkerAsksForAUsersConnectionsThenItsOrgsIdsWithoutTokens() {
        UUID userId = UUID.randomUUID();
        UUID one = store(base(), "find-" + UUID.randomUUID(), userId, Instant.now().plusSeconds(3600).toString());
        UUID two = store(base(), "find-" + UUID.randomUUID(), userId, Instant.now().plusSeconds(3600).toString());
        Response r = call(base(), "GET", "/api/connections?userId=" + userId + "&connector=mock", worker(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains(one.toString()).contains(two.toString()).contains("\"connector\":\"mock\"")
                .doesNotContain("accessToken");
        assertThat(call(base(), "GET", "/api/connections?userId=" + userId + "&connector=github", worker(), null).body())
                .doesNotContain(one.toString());
        Response otherOrg = call(base(), "GET", "/api/connections?userId=" + userId,
                issuer.serviceToken("w", UUID.randomUUID(), "tokens:read"), null);
        assertThat(otherOrg.status()).isEqualTo(200);
        assertThat(otherOrg.body()).doesNotContain(one.toString());
        assertThat(call(base(), "GET", "/api/connections?userId=nope", worker(), null).status()).isEqualTo(400);
        assertThat(call(base(), "GET", "/api/connections?userId=" + userId,
                issuer.serviceToken("w", orgA, "health:report"), null).status()).isEqualTo(403);
    }

    @Test
    void tokenWhenOtherOrgOrBadInputThen404Or400Or403Or401() {
        UUID id = store(base(), "owner-" + UUID.randomUUID(), Instant.now().plusSeconds(3600).toString());
        Response otherOrg = token(base(), id, issuer.serviceToken("w", UUID.randomUUID(), "tokens:read"));
        Response unknown = token(base(), UUID.randomUUID(), worker());
        assertThat(otherOrg.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(field(otherOrg.body(), "detail")).isEqualTo(field(unknown.body(), "detail"));
        assertThat(call(base(), "POST", "/api/connections/not-a-uuid/access-token", worker(), null).status()).isEqualTo(400);
        assertThat(token(base(), id, issuer.serviceToken("w", orgA, "health:report")).status()).isEqualTo(403);
        assertThat(token(base(), id, null).status()).isEqualTo(401);
        assertThat(token(base(), id, issuer.unsigned(issuer.claims("w", "w", "tokens:read").claim("org_id", orgA.toString()).build()))
                .status()).isEqualTo(401);
        assertThat(call(base(), "PUT", "/internal/credentials/" + UUID.randomUUID(), worker(), "{}").status()).isIn(400, 403);
    }

    static <T> List<T> race(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }
}
