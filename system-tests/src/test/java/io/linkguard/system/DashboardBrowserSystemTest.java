package io.linkguard.system;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the dashboard's browser story ({@code e2e/dashboard.e2e.mjs}) in headless Chromium
 * against the running system. Needs Node 20+ and Chromium ({@code .ci/run} installs both);
 * without them this test fails with what to install — it never skips.
 */
class DashboardBrowserSystemTest {

    @Test
    void dashboardWhenGrantIsRevokedThenBannerAppearsAndReconnectClearsItAndTheAdminViewListsWhoNeedsToReconnect() throws Exception {
        RunningSystem sys = RunningSystem.get();
        Path repo = sys.config.repoRoot();
        Path e2e = repo.resolve("e2e");
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
        assertThat(Files.isExecutable(Path.of(chromium)))
                .as("Chromium is needed for the browser test: apt-get install chromium (or set CHROMIUM_PATH)")
                .isTrue();
        // Installing packages is set-up, not a test: .ci/run runs `npm ci` in e2e/ before Maven.
        assertThat(Files.isDirectory(e2e.resolve("node_modules/playwright-core")))
                .as("the browser test's Node packages are missing: run `npm ci` in e2e/ (.ci/run does)")
                .isTrue();
        Tenant tenant = Tenant.create(sys);
        Path artifacts = repo.resolve("system-tests/target/e2e-artifacts");
        ProcessBuilder pb = new ProcessBuilder("node", "dashboard.e2e.mjs").directory(e2e.toFile())
                // Never inherit this JVM's streams: Surefire uses them as its channel to Maven.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(repo.resolve("system-tests/target/e2e.log").toFile());
        pb.environment().put("GATEWAY_URL", sys.config.publicUrl());
        pb.environment().put("MOCK_URL", sys.url("mock-provider"));
        pb.environment().put("E2E_EMAIL", tenant.account.email());
        pb.environment().put("E2E_PASSWORD", tenant.account.password());
        pb.environment().put("E2E_CLIENT_ID", tenant.account.clientId());
        pb.environment().put("E2E_CLIENT_SECRET", tenant.account.clientSecret());
        pb.environment().put("ARTIFACTS", artifacts.toString());
        pb.environment().put("CHROMIUM_PATH", chromium);
        Process p = pb.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String log = Files.readString(repo.resolve("system-tests/target/e2e.log"));
        assertThat(finished).as("browser test finished in time:\n" + log).isTrue();
        assertThat(p.exitValue()).as("browser test output:\n" + log).isZero();
        assertThat(log).contains("e2e: passed");
        assertThat(artifacts.resolve("04-needs-reauth-banner.png")).exists();
        assertThat(artifacts.resolve("08-admin-view.png")).exists();
    }
}
