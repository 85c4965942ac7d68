package io.linkguard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
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
 * @param management      each service's management port (detailed health, probes, metrics)
 */
public record SystemConfig(Path repoRoot, int gatewayPort, int authPort, int refresherPort, int healthPort,
                           int mockPort, String publicUrl, Path logDir, Secrets secrets, boolean operatorPaused,
                           ManagementPorts management) {

    /**
     * The services' management ports: private, never routed by the gateway.
     *
     * @param gateway   api-gateway
     * @param auth      auth-server
     * @param refresher token-refresher
     * @param health    connector-health
     */
    public record ManagementPorts(int gateway, int auth, int refresher, int health) {

        /** @return the defaults of the services' own configuration (9080–9083) */
        public static ManagementPorts standard() {
            return new ManagementPorts(9080, 9081, 9082, 9083);
        }

        /** @return four ports free right now, for a system beside another one (tests, benchmarks) */
        public static ManagementPorts free() {
            return new ManagementPorts(freePort(), freePort(), freePort(), freePort());
        }

        /**
         * @param module a service module name
         * @return its management port, or 0 for a process without one (the mock provider)
         */
        public int of(String module) {
            return switch (module) {
                case "api-gateway" -> gateway;
                case "auth-server" -> auth;
                case "token-refresher" -> refresher;
                case "connector-health" -> health;
                default -> 0;
            };
        }
    }

    /**
     * As the canonical constructor, with free management ports: for callers that pick their own free
     * public ports and do not care which management ports are used.
     */
    public SystemConfig(Path repoRoot, int gatewayPort, int authPort, int refresherPort, int healthPort,
                        int mockPort, String publicUrl, Path logDir, Secrets secrets, boolean operatorPaused) {
        this(repoRoot, gatewayPort, authPort, refresherPort, healthPort, mockPort, publicUrl, logDir, secrets,
                operatorPaused, ManagementPorts.free());
    }

    /**
     * The fixed local ports: 8080–8083 public, 9080–9083 management, 8090 the mock provider.
     *
     * @param repoRoot checkout
     * @param logDir   log directory
     * @param secrets  secrets
     * @return the standard local configuration
     */
    public static SystemConfig standard(Path repoRoot, Path logDir, Secrets secrets) {
        return new SystemConfig(repoRoot, 8080, 8081, 8082, 8083, 8090, "http://localhost:8080", logDir, secrets, false,
                ManagementPorts.standard());
    }

    /** A module's runnable jar: the shaded {@code -all} jar where the module attaches one, else the main jar. */
    Path jar(String module) {
        Path target = repoRoot.resolve(module).resolve("target");
        Path all = target.resolve(module + "-" + Versions.PROJECT + "-all.jar");
        return Files.isRegularFile(all) ? all : target.resolve(module + "-" + Versions.PROJECT + ".jar");
    }

    /** @return a TCP port nobody listens on right now */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
