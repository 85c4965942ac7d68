package io.linkguard.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The README's run command: brings up PostgreSQL (the one in {@code DATABASE_URL}, or an
 * embedded one under {@code LINKGUARD_DATA_DIR}), the four services and the mock provider,
 * seeds a demo org, user and service account, prints how to use them, and stops
 * everything on Ctrl-C. State survives restarts as long as the data directory is kept.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(env("LINKGUARD_HOME", ".")).toAbsolutePath().normalize();
        Path dataDir = Path.of(env("LINKGUARD_DATA_DIR", repo.resolve(".run").toString())).toAbsolutePath();
        Secrets secrets = Secrets.loadOrCreate(dataDir.resolve("secrets.properties"));

        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            // initdb's and PostgreSQL's own output goes to the launcher's log (.run/logs/launcher.log, see run.sh)
            System.out.println("Linkguard: starting PostgreSQL (embedded, data in " + dataDir.resolve("pgdata") + ")…");
        }
        Database db = url != null && !url.isBlank()
                ? Database.external(url, env("DATABASE_USER", "postgres"), env("DATABASE_PASSWORD", ""))
                : Database.embedded(dataDir.resolve("pgdata"), Integer.parseInt(env("LINKGUARD_PG_PORT", "5433")));
        System.out.println("Linkguard: database " + db.describe());

        SystemConfig config = SystemConfig.standard(repo, dataDir.resolve("logs"), secrets);
        LinkguardSystem system;
        try {
            system = LinkguardSystem.start(config, db, step -> System.out.println("Linkguard: " + step + "…"));
        } catch (Exception e) {
            db.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nLinkguard: stopping…");
            system.close();
            try {
                db.close();
            } catch (Exception e) {
                System.err.println("Linkguard: database did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }, "linkguard-shutdown"));

        DemoAccount demo = DemoSeed.ensure(system.gatewayUrl(), dataDir.resolve("demo.properties"));
        System.out.println(DemoSeed.banner(config, demo));
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
