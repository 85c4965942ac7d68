package io.linkguard.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service running as a child JVM, its output going to a log file. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a service's fat jar.
     *
     * @param name       service name (for messages and the log file name)
     * @param jar        the fat jar
     * @param port       HTTP port
     * @param env        environment for the child
     * @param sysProps   system properties for the child
     * @param logDir     where {@code <name>.log} is written
     * @return the running process
     * @throws IOException when the JVM cannot be started
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> env,
                                       Map<String, String> sysProps, Path logDir) throws IOException {
        return start(name, jar, port, 0, env, sysProps, logDir);
    }

    /**
     * Starts a service's fat jar with its management endpoints (detailed health, probes, metrics) on a
     * port of their own.
     *
     * @param name           service name (for messages and the log file name)
     * @param jar            the fat jar
     * @param port           public HTTP port
     * @param managementPort management port ({@code MANAGEMENT_PORT}), or 0 for a process without one
     * @param env            environment for the child
     * @param sysProps       system properties for the child
     * @param logDir         where {@code <name>.log} is written
     * @return the running process
     * @throws IOException when the JVM cannot be started
     */
    public static ServiceProcess start(String name, Path jar, int port, int managementPort, Map<String, String> env,
                                       Map<String, String> sysProps, Path logDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("Missing " + jar + ": build first (./mvnw -B package -DskipTests)");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, predictable footprint: five JVMs share a 2-core laptop or CI machine.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        sysProps.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        // The child never shares this JVM's standard streams (in a test JVM they are Surefire's
        // channel to Maven): input from /dev/null, output to the service's log file.
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("PORT", Integer.toString(port));
        if (managementPort > 0) {
            pb.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        }
        return new ServiceProcess(name, port, managementPort, pb.start(), log);
    }

    /**
     * Waits until the service is ready: {@code GET /health/readiness} on the management port answers
     * 200 (the database is reachable, the server is up), or, for a process without a management port,
     * {@code GET /health} on its port.
     *
     * @param timeout how long to wait
     * @throws IOException when the service dies or does not become healthy in time
     */
    public void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        URI uri = URI.create(managementPort > 0 ? managementUrl() + "/health/readiness" : url() + "/health");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for " + name, e);
            }
            try {
                // Polling interval while a child JVM boots; there is no event to wait on.
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IOException(name + " did not become healthy within " + timeout + "; see " + log);
    }

    /** @return the service name */
    public String name() {
        return name;
    }

    /** @return the base URL on loopback */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @return the management base URL on loopback (detailed health, probes, metrics)
     * @throws IllegalStateException for a process without a management port
     */
    public String managementUrl() {
        if (managementPort <= 0) {
            throw new IllegalStateException(name + " has no management port");
        }
        return "http://127.0.0.1:" + managementPort;
    }

    /** @return the log file */
    public Path log() {
        return log;
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** Stops the JVM gracefully (SIGTERM), forcibly after 15 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
