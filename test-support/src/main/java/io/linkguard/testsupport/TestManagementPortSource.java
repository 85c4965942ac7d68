package io.linkguard.testsupport;

import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.ActiveEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.core.io.ResourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives every application context started by a test its own management port.
 *
 * <p>The services pin their management port ({@code endpoints.all.port}) in {@code application.yml};
 * tests must neither collide with a locally running system nor with each other. Micronaut's
 * {@code ${random.port}} checks a port only by trying to connect to it, so it happily returns a
 * port that an outgoing connection of the same JVM holds as its local port (or that lingers in
 * TIME_WAIT); binding it then fails now and again with "Address already in use". This source hands
 * out ports below the kernel's ephemeral range (which outgoing connections never use), checks
 * each one by binding it, and never hands the same port out twice in one JVM, so a context that
 * is still closing never shares a port with the next one.
 *
 * <p>Registered as a {@link PropertySourceLoader} service, so it applies to every context on the
 * test class path. A test that sets {@code endpoints.all.port} itself still wins: the properties a
 * test passes to its context rank above any loaded source.
 */
public final class TestManagementPortSource implements PropertySourceLoader {

    /** Lowest and highest port handed out: below Linux's default ephemeral range (32768–60999). */
    static final int LOWEST = 12_000;
    static final int HIGHEST = 32_000;

    /** Each test JVM starts at its own offset, so modules built one after another rarely meet. */
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOWEST + (int) (ProcessHandle.current().pid() * 97 % (HIGHEST - LOWEST)));

    /** Ranks above {@code application-test.yml}, below the properties a test passes itself. */
    private static final int ORDER = AbstractPropertySourceLoader.DEFAULT_POSITION + 40;

    @Override
    public Optional<PropertySource> load(String resourceName, ResourceLoader resourceLoader) {
        if (!Environment.DEFAULT_NAME.equals(resourceName)) {
            return Optional.empty();
        }
        return Optional.of(PropertySource.of("linkguard-test-management-port",
                Map.of("endpoints.all.port", nextFreePort()), ORDER));
    }

    @Override
    public Optional<PropertySource> loadEnv(String resourceName, ResourceLoader resourceLoader,
                                            ActiveEnvironment activeEnvironment) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> read(String name, InputStream input) {
        return Map.of();
    }

    @Override
    public Set<String> getExtensions() {
        return Set.of();
    }

    /** @return a port that was free a moment ago and that this JVM has not handed out before */
    static int nextFreePort() {
        for (int tries = 0; tries < HIGHEST - LOWEST; tries++) {
            int port = NEXT.getAndUpdate(p -> p >= HIGHEST ? LOWEST : p + 1);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException busy) {
            return false;
        }
    }
}
