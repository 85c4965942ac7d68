package io.linkguard.auth.client;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** OAuth clients. */
@Singleton
public class ClientRepository {

    private final Sql sql;

    ClientRepository(Sql sql) {
        this.sql = sql;
    }

    /** @return the client, or null */
    @Nullable
    public RegisteredClient find(String clientId) {
        return sql.one("SELECT * FROM clients WHERE client_id = ?", ClientRepository::map, clientId);
    }

    /** Inserts a client. */
    public void insert(RegisteredClient c) {
        sql.updateOne("insert client", """
                INSERT INTO clients (client_id, secret_hash, client_type, name, kind, org_id, redirect_uris, grant_types, scopes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                c.clientId(), c.secretHash(), c.confidential() ? "confidential" : "public", c.name(), c.kind(), c.orgId(),
                c.redirectUris().toArray(String[]::new), c.grantTypes().toArray(String[]::new), c.scopes().toArray(String[]::new));
    }

    /** Creates or updates a built-in client to match configuration (idempotent, safe with replicas). */
    public void upsertBuiltIn(RegisteredClient c) {
        sql.update("""
                INSERT INTO clients (client_id, secret_hash, client_type, name, kind, org_id, redirect_uris, grant_types, scopes)
                VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)
                ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, client_type = EXCLUDED.client_type,
                  name = EXCLUDED.name, kind = EXCLUDED.kind, redirect_uris = EXCLUDED.redirect_uris,
                  grant_types = EXCLUDED.grant_types, scopes = EXCLUDED.scopes""",
                c.clientId(), c.secretHash(), c.confidential() ? "confidential" : "public", c.name(), c.kind(),
                c.redirectUris().toArray(String[]::new), c.grantTypes().toArray(String[]::new), c.scopes().toArray(String[]::new));
    }

    private static RegisteredClient map(ResultSet rs) throws SQLException {
        return new RegisteredClient(rs.getString("client_id"), rs.getString("secret_hash"), rs.getString("kind"),
                rs.getString("name"), rs.getObject("org_id", UUID.class), Sql.strings(rs, "redirect_uris"),
                Sql.strings(rs, "grant_types"), Sql.strings(rs, "scopes"));
    }

    /** Scopes a user may grant to a dashboard or third-party client. */
    public static final List<String> USER_SCOPES = List.of("connectors:read", "profiles:write", "automation:write", "admin");
    /**
     * Scopes only first-party clients (the built-in dashboard) may hold: deleting one's own account
     * and changing one's password must never be delegated to a third-party application.
     */
    public static final List<String> FIRST_PARTY_ONLY_SCOPES = List.of("account:write");
    /** Scopes of the built-in dashboard. */
    public static final List<String> FIRST_PARTY_SCOPES = List.of("connectors:read", "profiles:write", "automation:write",
            "admin", "account:write");
    /** Scopes a service account may hold. */
    public static final List<String> SERVICE_ACCOUNT_SCOPES = List.of("health:report", "tokens:read");
}
