package io.linkguard.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole system as child processes: the mock provider, auth-server, connector-health,
 * token-refresher and api-gateway, wired to one database and to each other over HTTP.
 * Used by the README's run command and by the system tests.
 */
public final class LinkguardSystem implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private final SystemConfig config;
    private final Consumer<String> progress;
    private final List<ServiceProcess> processes = new ArrayList<>();

    private LinkguardSystem(SystemConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /**
     * Starts every service and waits until each is ready (readiness on its management port).
     *
     * @param config   ports, jars, secrets
     * @param database the database every service migrates its own schema in
     * @return the running system
     * @throws IOException when a service cannot start
     */
    public static LinkguardSystem start(SystemConfig config, Database database) throws IOException {
        return start(config, database, step -> { });
    }

    /**
     * Starts every service as {@link #start(SystemConfig, Database)} does, telling {@code progress} which
     * one it starts (the run command prints these lines; the services' own output goes to their logs).
     *
     * @param config   ports, jars, secrets
     * @param database the database every service migrates its own schema in
     * @param progress receives one short line per service started
     * @return the running system
     * @throws IOException when a service cannot start
     */
    public static LinkguardSystem start(SystemConfig config, Database database, Consumer<String> progress)
            throws IOException {
        LinkguardSystem system = new LinkguardSystem(config, progress);
        try {
            system.startAll(database);
        } catch (IOException | RuntimeException e) {
            system.close();
            throw e;
        }
        return system;
    }

    private void startAll(Database db) throws IOException {
        Map<String, String> common = serviceEnvironment(config, db);
        Secrets s = config.secrets();

        Map<String, String> mockEnv = new HashMap<>();
        mockEnv.put("MOCK_CLIENT_ID", "linkguard-local");
        mockEnv.put("MOCK_CLIENT_SECRET", s.mockClientSecret());
        // Short-lived provider tokens, so background refreshes (and a revoked grant) show up within a minute in the demo.
        mockEnv.put("MOCK_ACCESS_TOKEN_TTL_SECONDS", "120");
        ServiceProcess mock = launch("mock-provider", config.mockPort(), mockEnv, Map.of());

        Map<String, String> authProps = new HashMap<>();
        authProps.put("linkguard.providers.mock.client-id", "linkguard-local");
        authProps.put("linkguard.providers.mock.client-secret", s.mockClientSecret());
        authProps.put("linkguard.providers.mock.base-url", mock.url());
        authProps.put("linkguard.auth.dashboard-redirect-uris", config.publicUrl() + "/app/callback");
        Map<String, String> authEnv = new HashMap<>(common);
        // auth-server believes the gateway's X-Forwarded-For (the real client address for sign-in limits);
        // the gateway itself trusts no proxy, so a client cannot forge its address through it
        authEnv.put("LINKGUARD_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
        ServiceProcess auth = launch("auth-server", config.authPort(), authEnv, authProps);
        auth.awaitHealthy(BOOT_TIMEOUT);

        Map<String, String> healthEnv = new HashMap<>(common);
        // a local system: webhook receivers on this machine (http://127.0.0.1:…) are fine
        healthEnv.put("LINKGUARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
        if (config.operatorPaused()) {
            healthEnv.put("LINKGUARD_OPERATOR_PAUSE", "true");
            healthEnv.put("LINKGUARD_OPERATOR_PAUSE_REASON", "Paused by the operator for maintenance");
        }
        ServiceProcess health = launch("connector-health", config.healthPort(), healthEnv, Map.of());

        // No provider settings here: token-refresher asks auth-server for the one definition of the
        // mock provider (catalog entry + the client configured above for auth-server).
        Map<String, String> refresherProps = new HashMap<>();
        // refresh 90 s ahead of a 120 s expiry: the demo's background refresh runs about every half minute
        refresherProps.put("linkguard.refresher.refresh-margin", "90s");
        refresherProps.put("linkguard.refresher.background.interval", "5s");
        ServiceProcess refresher = launch("token-refresher", config.refresherPort(), common, refresherProps);
        ServiceProcess gateway = launch("api-gateway", config.gatewayPort(), common, Map.of());

        for (ServiceProcess p : List.of(mock, health, refresher, gateway)) {
            p.awaitHealthy(BOOT_TIMEOUT);
        }
    }

    /**
     * The environment every service of a local system gets (database, service URLs, issuer, secrets);
     * public so tools that start extra service instances (bench/) wire them the same way.
     *
     * @param config the system's ports and secrets
     * @param db     its database
     * @return a fresh, mutable map
     */
    public static Map<String, String> serviceEnvironment(SystemConfig config, Database db) {
        Secrets s = config.secrets();
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("DATABASE_USER", db.user());
        env.put("DATABASE_PASSWORD", db.password());
        env.put("AUTH_URL", "http://127.0.0.1:" + config.authPort());
        env.put("REFRESHER_URL", "http://127.0.0.1:" + config.refresherPort());
        env.put("HEALTH_URL", "http://127.0.0.1:" + config.healthPort());
        env.put("AUTH_JWKS_URL", "http://127.0.0.1:" + config.authPort() + "/oauth/jwks");
        env.put("LINKGUARD_ISSUER", config.publicUrl());
        env.put("LINKGUARD_PUBLIC_URL", config.publicUrl());
        env.put("LINKGUARD_INTERNAL_CLIENT_SECRET", s.internalClientSecret());
        env.put("LINKGUARD_KEY_ENCRYPTION_KEY", s.keyEncryptionKey());
        env.put("LINKGUARD_TOKEN_KEYS", s.tokenKeyId() + ":" + s.tokenKey());
        env.put("LINKGUARD_TOKEN_ACTIVE_KEY", s.tokenKeyId());
        env.put("LINKGUARD_PROFILE_SECRET_KEYS", s.tokenKeyId() + ":" + s.tokenKey());
        env.put("LINKGUARD_REGISTRATION_TOKEN", s.registrationToken());
        return env;
    }

    private ServiceProcess launch(String module, int port, Map<String, String> env, Map<String, String> props)
            throws IOException {
        progress.accept("starting " + module);
        ServiceProcess p = ServiceProcess.start(module, config.jar(module), port, config.management().of(module), env, props,
                config.logDir());
        processes.add(p);
        return p;
    }

    /** @return the gateway's base URL on loopback */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + config.gatewayPort();
    }

    /**
     * @param name service (module) name
     * @return its base URL on loopback
     */
    public String url(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(ServiceProcess::url).orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    /**
     * @param name service (module) name
     * @return its management base URL on loopback (detailed health, probes, metrics)
     */
    public String managementUrl(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(ServiceProcess::managementUrl).orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    /** @return the running processes, in start order */
    public List<ServiceProcess> processes() {
        return List.copyOf(processes);
    }

    /** Stops the services in reverse start order. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
