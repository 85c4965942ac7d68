package io.linkguard.mock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the mock provider as a process (local run, compose, benchmarks). Environment:
 * {@code PORT} (8090), {@code HOST} (0.0.0.0), {@code MOCK_CLIENT_ID}/{@code MOCK_CLIENT_SECRET}
 * (replace the default client), {@code MOCK_ACCESS_TOKEN_TTL_SECONDS} (3600),
 * {@code MOCK_ROTATE_REFRESH_TOKENS} (true), {@code MOCK_CONSENT_PAGE} (false),
 * {@code MOCK_REQUIRE_PKCE} (false).
 */
public final class MockProviderMain {

    private MockProviderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        MockProviderConfig.Builder b = MockProviderConfig.builder()
                .host(env("HOST", "0.0.0.0"))
                .port(Integer.parseInt(env("PORT", "8090")))
                .accessTokenLifetime(Duration.ofSeconds(Long.parseLong(env("MOCK_ACCESS_TOKEN_TTL_SECONDS", "3600"))))
                .rotateRefreshTokens(Boolean.parseBoolean(env("MOCK_ROTATE_REFRESH_TOKENS", "true")))
                .consentPage(Boolean.parseBoolean(env("MOCK_CONSENT_PAGE", "false")))
                .requirePkce(Boolean.parseBoolean(env("MOCK_REQUIRE_PKCE", "false")));
        String clientId = System.getenv("MOCK_CLIENT_ID");
        if (clientId != null && !clientId.isBlank()) {
            b.noClients().client(clientId, env("MOCK_CLIENT_SECRET", MockProviderConfig.DEFAULT_CLIENT_SECRET));
        }
        MockProvider provider = MockProvider.start(b.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            provider.close();
            stopped.countDown();
        }, "mock-provider-shutdown"));
        System.out.println("{\"level\":\"INFO\",\"logger\":\"io.linkguard.mock\",\"message\":\"mock provider listening on port "
                + provider.port() + " (dev/test only)\"}");
        stopped.await();
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
