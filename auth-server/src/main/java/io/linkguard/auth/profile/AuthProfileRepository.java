package io.linkguard.auth.profile;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of auth profiles. Status changes are conditional updates whose row count the caller checks. */
@Singleton
public class AuthProfileRepository {

    private static final String COLUMNS = """
            id, org_id, created_by, connector_key, provider_key, kind, status, display_name, slug, shared,
            requested_scopes, granted_scopes, error_code, created_at, updated_at, connected_at, connection_params""";
    private static final String SELECT = "SELECT " + COLUMNS + "\n";
    private static final Argument<Map<String, String>> PARAMS = Argument.mapOf(String.class, String.class);

    private final Sql sql;
    private final JsonMapper json;

    AuthProfileRepository(Sql sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    void save(AuthProfile p) {
        sql.updateOne("insert auth profile", "INSERT INTO auth_profiles (" + COLUMNS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                p.id(), p.orgId(), p.createdBy(), p.connectorKey(), p.providerKey(), p.kind().value(), p.status().value(),
                p.displayName(), p.slug(), p.shared(), p.requestedScopes(), p.grantedScopes(), p.errorCode(), p.createdAt(),
                p.updatedAt(), p.connectedAt(), toJson(p.connectionParams()));
    }

    @Nullable
    public AuthProfile findById(UUID id) {
        return sql.one(SELECT + "FROM auth_profiles WHERE id = ?", this::profile, id);
    }

    @Nullable
    AuthProfile findPending(UUID orgId, String connectorKey, String providerKey, UUID userId) {
        return sql.one(SELECT + """
                 FROM auth_profiles
                 WHERE org_id = ? AND connector_key = ? AND provider_key = ?
                   AND created_by = ? AND kind = 'oauth_account' AND status = 'pending_auth'""",
                this::profile, orgId, connectorKey, providerKey, userId);
    }

    /** The caller's own profile for this connector that needs re-auth: reconnecting reuses it. */
    @Nullable
    AuthProfile findNeedingReauth(UUID orgId, String connectorKey, String providerKey, UUID userId) {
        return sql.one(SELECT + """
                 FROM auth_profiles
                 WHERE org_id = ? AND connector_key = ? AND provider_key = ?
                   AND created_by = ? AND kind = 'oauth_account' AND status = 'needs_reauth'
                 ORDER BY updated_at DESC LIMIT 1""",
                this::profile, orgId, connectorKey, providerKey, userId);
    }

    @Nullable
    AuthProfile findBySlug(UUID orgId, String slug) {
        return sql.one(SELECT + "FROM auth_profiles WHERE org_id = ? AND slug = ?", this::profile, orgId, slug);
    }

    /** What a caller may see: their own and the org's shared profiles, or all of the org for an admin. */
    List<AuthProfile> findVisible(UUID orgId, UUID userId, boolean admin) {
        return sql.list(SELECT + """
                 FROM auth_profiles
                 WHERE org_id = ? AND (? OR created_by = ? OR shared)
                 ORDER BY created_at, id""", this::profile, orgId, admin, userId);
    }

    /** The org's own OAuth app for a provider, which wins over the deployment's client. */
    @Nullable
    public AuthProfile findOrgApp(UUID orgId, String providerKey) {
        return sql.one(SELECT + """
                 FROM auth_profiles
                 WHERE org_id = ? AND provider_key = ? AND kind = 'oauth_app' AND status = 'active'
                 ORDER BY created_at DESC LIMIT 1""", this::profile, orgId, providerKey);
    }

    /** The provider answered and the credential is stored: pending or needs_reauth → active. */
    public int markConnected(UUID id, String grantedScopes) {
        return sql.update("""
                UPDATE auth_profiles
                   SET status = 'active', granted_scopes = ?, error_code = NULL,
                       connected_at = now(), updated_at = now()
                 WHERE id = ? AND status IN ('pending_auth', 'needs_reauth')""", grantedScopes, id);
    }

    /** token-refresher's verdict on a connected profile; never resurrects a pending or revoked one. */
    int updateConnectedStatus(UUID id, ProfileStatus status, @Nullable String errorCode) {
        return sql.update("""
                UPDATE auth_profiles SET status = ?, error_code = ?, updated_at = now()
                 WHERE id = ? AND status IN ('active', 'needs_reauth')""", status.value(), errorCode, id);
    }

    public int deleteProfile(UUID id) {
        return sql.update("DELETE FROM auth_profiles WHERE id = ?", id);
    }

    private AuthProfile profile(ResultSet rs) throws SQLException {
        return new AuthProfile(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("created_by", UUID.class), rs.getString("connector_key"), rs.getString("provider_key"),
                StoredValue.read(ProfileKind.class, rs.getString("kind")),
                StoredValue.read(ProfileStatus.class, rs.getString("status")), rs.getString("display_name"),
                rs.getString("slug"), rs.getBoolean("shared"), rs.getString("requested_scopes"), rs.getString("granted_scopes"),
                rs.getString("error_code"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                Sql.instant(rs, "connected_at"), fromJson(rs.getString("connection_params")));
    }

    private String toJson(@Nullable Map<String, String> params) {
        try {
            return json.writeValueAsString(params == null ? Map.of() : params);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> fromJson(@Nullable String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            Map<String, String> m = json.readValue(text, PARAMS);
            return m == null ? Map.of() : Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
