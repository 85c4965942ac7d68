package io.linkguard.auth.account;

import io.linkguard.testsupport.PostgresTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;

/** Argon2id work is bounded: with every slot busy, a sign-up answers 503 problem+json with Retry-After. */
@MicronautTest(transactional = false)
class PasswordHasherTest extends PostgresTestProperties {

    @Inject
    EmbeddedServer server;

    @Inject
    PasswordHasher hasher;

    @Override
    protected Map<String, String> extraProperties() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Map<String, String> p = new HashMap<>();
        p.put("linkguard.auth.key-encryption-key", Base64.getEncoder().encodeToString(k));
        p.put("linkguard.internal-client-secret", "test-internal-client-secret");
        p.put("linkguard.auth.password-hashing.max-concurrent", "2");
        p.put("linkguard.auth.password-hashing.max-wait", "200ms");
        return p;
    }

    HttpResponse<String> signup() throws Exception {
        String json = "{\"orgName\":\"Acme\",\"email\":\"u-" + System.nanoTime() + "@example.test\",\"password\":\"correct horse battery\"}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/api/signup"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hashWhenEverySlotBusyThen503ProblemWithRetryAfterAndAfterwardsWorks() throws Exception {
        Semaphore slots = hasher.slots();
        slots.acquire(2); // two sign-ins hashing right now
        try {
            HttpResponse<String> r = signup();
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[1-9][0-9]*"));
            assertThat(r.body()).contains("\"status\":503").contains("try again").doesNotContain("Exception");
        } finally {
            slots.release(2);
        }
        assertThat(signup().statusCode()).isEqualTo(201);
    }

    @Test
    void verifyWhenHashedThenMatchesOnlyTheSamePassword() {
        String phc = hasher.hash("correct horse battery");
        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery", phc)).isTrue();
        assertThat(hasher.verify("correct horse batterY", phc)).isFalse();
    }
}
