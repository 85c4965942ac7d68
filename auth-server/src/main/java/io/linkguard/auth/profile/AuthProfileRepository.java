package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/** SQL of auth profiles. Status changes are conditional updates whose row count the caller checks. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuthProfileRepository extends GenericRepository<AuthProfile, UUID> {

    AuthProfile save(AuthProfile profile);

    @Nullable
    AuthProfile findById(UUID id);

    @Query("""
        SELECT * FROM auth_profiles
         WHERE org_id = :orgId AND connector_key = :connectorKey AND provider_key = :providerKey
           AND created_by = :userId AND kind = 'oauth_account' AND status = 'pending_auth'""")
    @Nullable
    AuthProfile findPending(UUID orgId, String connectorKey, String providerKey, UUID userId);

    /** The caller's own profile for this connector that needs re-auth: reconnecting reuses it. */
    @Query("""
        SELECT * FROM auth_profiles
         WHERE org_id = :orgId AND connector_key = :connectorKey AND provider_key = :providerKey
           AND created_by = :userId AND kind = 'oauth_account' AND status = 'needs_reauth'
         ORDER BY updated_at DESC LIMIT 1""")
    @Nullable
    AuthProfile findNeedingReauth(UUID orgId, String connectorKey, String providerKey, UUID userId);

    @Query("SELECT * FROM auth_profiles WHERE org_id = :orgId AND slug = :slug")
    @Nullable
    AuthProfile findBySlug(UUID orgId, String slug);

    /** What a caller may see: their own and the org's shared profiles, or all of the org for an admin. */
    @Query("""
        SELECT * FROM auth_profiles
         WHERE org_id = :orgId AND (:admin OR created_by = :userId OR shared)
         ORDER BY created_at, id""")
    List<AuthProfile> findVisible(UUID orgId, UUID userId, boolean admin);

    /** The org's own OAuth app for a provider, which wins over the deployment's client. */
    @Query("""
        SELECT * FROM auth_profiles
         WHERE org_id = :orgId AND provider_key = :providerKey AND kind = 'oauth_app' AND status = 'active'
         ORDER BY created_at DESC LIMIT 1""")
    @Nullable
    AuthProfile findOrgApp(UUID orgId, String providerKey);

    /** The provider answered and the credential is stored: pending or needs_reauth → active. */
    @Query("""
        UPDATE auth_profiles
           SET status = 'active', granted_scopes = :grantedScopes, error_code = NULL,
               connected_at = now(), updated_at = now()
         WHERE id = :id AND status IN ('pending_auth', 'needs_reauth')""")
    int markConnected(UUID id, String grantedScopes);

    /** token-refresher's verdict on a connected profile; never resurrects a pending or revoked one. */
    @Query("""
        UPDATE auth_profiles SET status = :status, error_code = :errorCode, updated_at = now()
         WHERE id = :id AND status IN ('active', 'needs_reauth')""")
    int updateConnectedStatus(UUID id, ProfileStatus status, @Nullable String errorCode);

    @Query("DELETE FROM auth_profiles WHERE id = :id")
    int deleteProfile(UUID id);
}
