package io.linkguard.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2's thin slice through the real processes: a worker's service account gets a token
 * from auth-server, posts a poll report through the gateway to connector-health, and the
 * user sees it; forged tokens are refused by the gateway and by every service directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenSpineSystemTest {

    RunningSystem sys;
    Tenant tenant;

    @BeforeAll
    void start() {
        sys = RunningSystem.get();
        tenant = Tenant.create(sys);
    }

    @Test
    void reportWhenWorkerPostsThroughGatewayThenUserSeesNeedsReauth() {
        String worker = tenant.workerToken(sys);
        Http.Response report = Http.postJson(sys.gateway() + "/api/health/reports", worker, Map.of(
                "userId", tenant.account.userId(), "connector", "github", "outcome", "failure",
                "providerResponse", "{\"error\" :  \"invalid_grant\"}"));
        assertThat(report.status()).as(report.body()).isEqualTo(200);

        Http.Response status = Http.get(sys.gateway() + "/api/connectors/" + tenant.account.userId() + "/status",
                tenant.ownerToken);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        JsonNode github = status.json().get("connectors").get("github");
        assertThat(github.get("status").asText()).isEqualTo("needs_reauth");
        assertThat(github.get("errorCode").asText()).isEqualTo("invalid_grant");
        assertThat(status.json().get("anyNeedsReauth").asBoolean()).isTrue();
    }

    @Test
    void requestIdWhenCallerSendsOneThenEchoedAndLoggedByTheBackend() throws Exception {
        String id = "sys-test-" + UUID.randomUUID();
        Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(sys.gateway() + "/api/connectors/"
                        + tenant.account.userId() + "/status"))
                .header("Authorization", "Bearer " + tenant.ownerToken).header("X-Request-Id", id).GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Request-Id")).isEqualTo(id);
        // The backend that answered logged the same id: the gateway propagated it.
        var log = sys.system.processes().stream().filter(p -> p.name().equals("connector-health")).findFirst().orElseThrow().log();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean found = false;
        while (!found && System.nanoTime() < deadline) {
            found = Files.readString(log).contains(id);
            if (!found) {
                // Log lines are flushed asynchronously by the child JVM; poll the file with a bound.
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
        assertThat(found).as("connector-health's log mentions " + id).isTrue();
    }

    @Test
    void forgedTokensWhenPresentedThenEveryServiceAnswers401() throws Exception {
        String real = tenant.ownerToken;
        SignedJWT parsed = SignedJWT.parse(real);
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        JWTClaimsSet expired = new JWTClaimsSet.Builder(claims)
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build();
        JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder(claims).issuer("https://evil.example").build();

        // HMAC "signed" with the server's own public JWK as the secret: the classic algorithm-confusion attack.
        String jwks = Http.get(sys.url("auth-server") + "/oauth/jwks", null).body();
        byte[] publicKeyAsSecret = MessageDigest.getInstance("SHA-256")
                .digest(JWKSet.parse(jwks).getKeys().get(0).toJSONString().getBytes());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(parsed.getHeader().getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims);
        hmac.sign(new MACSigner(publicKeyAsSecret));

        String[] parts = real.split("\\.");
        String tamperedExpired = new SignedJWT(parsed.getHeader().toBase64URL(),
                expired.toPayload().toBase64URL(), parsed.getSignature()).serialize();
        String tamperedIssuer = new SignedJWT(parsed.getHeader().toBase64URL(),
                otherIssuer.toPayload().toBase64URL(), parsed.getSignature()).serialize();
        Map<String, String> forged = Map.of(
                "alg none", new PlainJWT(claims).serialize(),
                "HMAC", hmac.serialize(),
                "expired (re-used signature)", tamperedExpired,
                "wrong issuer (re-used signature)", tamperedIssuer,
                "garbage signature", parts[0] + "." + parts[1] + ".AAAA");

        String userPath = "/api/connectors/" + tenant.account.userId() + "/status";
        Map<String, String> targets = Map.of(
                "api-gateway", sys.gateway() + userPath,
                "connector-health", sys.url("connector-health") + userPath,
                "auth-server", sys.url("auth-server") + "/api/me",
                "token-refresher", sys.url("token-refresher") + "/api/connections/" + UUID.randomUUID() + "/access-token");
        for (var target : targets.entrySet()) {
            for (var token : forged.entrySet()) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target.getValue()))
                        .header("Authorization", "Bearer " + token.getValue());
                req = target.getKey().equals("token-refresher")
                        ? req.POST(HttpRequest.BodyPublishers.noBody()) : req.GET();
                Http.Response r = Http.send(req);
                assertThat(r.status()).as(target.getKey() + " with " + token.getKey() + ": " + r.body()).isEqualTo(401);
            }
        }
        // And the real token still works, so the 401s above are about the forgeries.
        assertThat(Http.get(sys.gateway() + userPath, real).status()).isEqualTo(200);
    }

    @Test
    void internalRoutesWhenCalledThroughGatewayThen404() {
        for (String path : List.of("/internal/users/" + tenant.account.userId(), "/internal/health/reports")) {
            Http.Response r = Http.get(sys.gateway() + path, tenant.ownerToken);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        }
    }
}
