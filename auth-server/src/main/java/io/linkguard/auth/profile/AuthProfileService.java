package io.linkguard.auth.profile;

import io.linkguard.auth.connect.RefresherClient;
import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.problem.Refusal;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Auth profiles as records of the org (docs/connect-flow.md, docs/API.md): who may see and delete
 * which, profiles that hold a secret, and token-refresher's verdict on a connection. Creating and
 * reconnecting an {@code oauth_account} is {@link OAuthAccountProfiles}.
 */
@Singleton
public class AuthProfileService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthProfileService.class);

    private final AuthProfileRepository profiles;
    private final AuthProfileSecretRepository secrets;
    private final SecretCipher cipher;
    private final RefresherClient refresher;

    AuthProfileService(AuthProfileRepository profiles, AuthProfileSecretRepository secrets, SecretCipher cipher,
                       RefresherClient refresher) {
        this.profiles = profiles;
        this.secrets = secrets;
        this.cipher = cipher;
        this.refresher = refresher;
    }

    /** oauth_app and api_key profiles: active at once, their secret sealed in the same transaction. */
    @Transactional
    public CreatedProfile createWithSecret(Caller caller, NewProfile n, @Nullable String clientId, String secret) {
        Instant now = Instant.now();
        String slug = n.slugOr(n.connectorKey() + (n.kind() == ProfileKind.OAUTH_APP ? "-app" : "-key"));
        AuthProfile profile = new AuthProfile(UUID.randomUUID(), caller.orgId(), caller.userId(), n.connectorKey(),
                n.providerKey(), n.kind(), ProfileStatus.ACTIVE, n.displayName(), slug, n.shared(),
                String.join(" ", n.scopes()), null, null, now, now, now, Map.of());
        profiles.save(profile);
        SecretCipher.Sealed sealed = cipher.encrypt(profile.id(), secret);
        secrets.save(new AuthProfileSecret(profile.id(), clientId, sealed.ciphertext(), sealed.keyId()));
        return new CreatedProfile(profile, null, false);
    }

    List<AuthProfile> list(Caller caller) {
        return profiles.findVisible(caller.orgId(), caller.userId(), caller.isOrgAdmin());
    }

    /**
     * The profile if the caller may see it. Another org's answers exactly as an unknown id (404, so
     * existence does not leak across tenants); another user's private one in the caller's own org
     * is 403 (docs/API.md: another user's data in the same org), as for the status endpoint.
     */
    AuthProfile get(Caller caller, UUID id) {
        AuthProfile p = profiles.findById(id);
        if (p == null || !p.orgId().equals(caller.orgId())) {
            throw noProfile(id);
        }
        if (!(caller.isOrgAdmin() || caller.is(p.createdBy()) || p.shared())) {
            throw AuthProblem.FORBIDDEN.refuse("This auth profile belongs to another user.");
        }
        return p;
    }

    /** Deletes a profile and its stored credential; the credential goes first so none is orphaned. */
    void delete(Caller caller, UUID id) {
        AuthProfile p = get(caller, id);
        if (!caller.isOrgAdmin() && !caller.is(p.createdBy())) {
            throw AuthProblem.FORBIDDEN.refuse("Only its creator or an org admin may delete this profile.");
        }
        // A profile that never connected has no credential; a callback racing this delete finds the
        // row gone and removes the credential it just handed over (ConnectService).
        if (p.isOAuthAccount() && p.connectedAt() != null) {
            try {
                refresher.delete(p.id());
            } catch (RefresherClient.RefresherUnavailableException e) {
                LOG.warn("credential of profile {} not deleted: {}", p.id(), e.getMessage());
                throw AuthProblem.DEPENDENCY_UNAVAILABLE.refuse(
                        "The stored credential could not be removed right now; nothing was deleted. Try again.");
            }
        }
        if (profiles.deleteProfile(p.id()) == 0) {
            throw noProfile(id);
        }
    }

    /** token-refresher's verdict: active or needs_reauth. */
    void updateStatus(UUID id, ProfileStatusRequest r) {
        ProfileStatus status = StoredValue.parse(ProfileStatus.class, r.status());
        if (status != ProfileStatus.ACTIVE && status != ProfileStatus.NEEDS_REAUTH) {
            throw AuthProblem.BAD_REQUEST.refuse("status must be active or needs_reauth.");
        }
        if (r.errorCode() != null && !r.errorCode().matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw AuthProblem.BAD_REQUEST.refuse("errorCode must be a short code.");
        }
        String errorCode = status == ProfileStatus.ACTIVE ? null : r.errorCode();
        if (profiles.updateConnectedStatus(id, status, errorCode) == 0) {
            AuthProfile p = profiles.findById(id);
            if (p == null) {
                throw noProfile(id);
            }
            throw AuthProblem.STATUS_NOT_APPLICABLE.refuse("A profile that is " + p.status().value() + " does not take a refresher status.");
        }
    }

    static Refusal slugTaken(String slug) {
        return AuthProblem.SLUG_TAKEN.refuse("The slug '" + slug + "' is already used in this organization.");
    }

    private static Refusal noProfile(UUID id) {
        return AuthProblem.NOT_FOUND.refuse("No auth profile " + id + ".");
    }

    static List<AuthProfileView> views(List<AuthProfile> list) {
        List<AuthProfileView> out = new ArrayList<>(list.size());
        list.forEach(p -> out.add(AuthProfileView.of(p)));
        return out;
    }
}
