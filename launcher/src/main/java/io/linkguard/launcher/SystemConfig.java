package io.linkguard.launcher;

import java.nio.file.Path;

/**
 * Where the jars are and which ports the local system uses.
 *
 * @param repoRoot        the checkout (jars are read from {@code <module>/target/})
 * @param gatewayPort     public port
 * @param authPort        auth-server port
 * @param refresherPort   token-refresher port
 * @param healthPort      connector-health port
 * @param mockPort        mock provider port
 * @param publicUrl       the gateway's public URL (also the token issuer)
 * @param logDir          where service logs go
 * @param secrets         deployment secrets
 * @param operatorPaused  start with the operator's automation pause on
 */
public record SystemConfig(Path repoRoot, int gatewayPort, int authPort, int refresherPort, int healthPort,
                           int mockPort, String publicUrl, Path logDir, Secrets secrets, boolean operatorPaused) {

    /**
     * The fixed ports of SPEC §1.
     *
     * @param repoRoot checkout
     * @param logDir   log directory
     * @param secrets  secrets
     * @return the standard local configuration
     */
    public static SystemConfig standard(Path repoRoot, Path logDir, Secrets secrets) {
        return new SystemConfig(repoRoot, 8080, 8081, 8082, 8083, 8090, "http://localhost:8080", logDir, secrets, false);
    }

    /** A module's runnable jar: the shaded {@code -all} jar where the module attaches one, else the main jar. */
    Path jar(String module) {
        Path target = repoRoot.resolve(module).resolve("target");
        Path all = target.resolve(module + "-" + Versions.PROJECT + "-all.jar");
        return java.nio.file.Files.isRegularFile(all) ? all : target.resolve(module + "-" + Versions.PROJECT + ".jar");
    }
}
