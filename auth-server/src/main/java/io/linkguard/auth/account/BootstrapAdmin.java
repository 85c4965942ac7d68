package io.linkguard.auth.account;

import io.linkguard.sql.Sql;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * Creates the deployment's first org and owner from {@link BootstrapAdminConfiguration}, the way
 * Keycloak's bootstrap admin works: only when no owner exists at all, so restarts and replicas
 * starting together create it once (a transaction-scoped advisory lock serialises them), and a
 * deployment whose owners exist ignores the settings. The account is flagged until its owner
 * chooses a password of their own.
 */
@Singleton
class BootstrapAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
    /** Any constant shared by every auth-server replica. */
    private static final long LOCK = 0x4c47_0001L;

    private final BootstrapAdminConfiguration config;
    private final AccountService accounts;
    private final Sql sql;
    private final TransactionOperations<Connection> tx;

    BootstrapAdmin(BootstrapAdminConfiguration config, AccountService accounts, Sql sql, TransactionOperations<Connection> tx) {
        this.config = config;
        this.accounts = accounts;
        this.sql = sql;
        this.tx = tx;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (config.email() == null || config.email().isBlank()) {
            return;
        }
        String password = password();
        if (tx.executeWrite(status -> createIfNoOwner(password))) {
            LOG.info("Created the first org and its owner {} from the bootstrap settings; "
                    + "sign in and change the password.", config.email().trim());
        }
    }

    /** @return whether it created the owner; runs in one transaction, which holds the lock */
    private boolean createIfNoOwner(String password) {
        sql.one("SELECT pg_advisory_xact_lock(?)", rs -> 1, LOCK);
        if (sql.one("SELECT 1 FROM memberships WHERE role = 'owner' LIMIT 1", rs -> 1) != null) {
            return false;
        }
        String org = config.org() == null || config.org().isBlank() ? "Linkguard" : config.org().trim();
        UserAccount owner = accounts.signup(org, config.email(), password);
        sql.updateOne("flag bootstrap password", "UPDATE users SET password_change_required = true WHERE id = ?", owner.id());
        return true;
    }

    private String password() {
        if (config.passwordFile() != null && !config.passwordFile().isBlank()) {
            try {
                return Files.readString(Path.of(config.passwordFile())).stripTrailing();
            } catch (IOException e) {
                throw new IllegalStateException("LINKGUARD_BOOTSTRAP_ADMIN_PASSWORD_FILE cannot be read: " + config.passwordFile(), e);
            }
        }
        if (config.password() == null || config.password().isBlank()) {
            throw new IllegalStateException(
                    "LINKGUARD_BOOTSTRAP_ADMIN_EMAIL is set but neither LINKGUARD_BOOTSTRAP_ADMIN_PASSWORD nor _PASSWORD_FILE is");
        }
        return config.password();
    }
}
