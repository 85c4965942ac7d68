package io.linkguard.auth.profile;

import io.linkguard.http.security.Caller;
import io.linkguard.auth.connect.ConnectTokens;
import io.linkguard.auth.connect.RefresherClient;
import io.linkguard.auth.provider.ProviderCatalog;
import io.linkguard.auth.provider.ProviderDefinition;
import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Auth profiles (docs/connect-flow.md, docs/API.md). Uniqueness is decided by the database: the partial unique index
 * (one pending oauth_account per org, connector, provider and creating user) and the slug per
 * org. A create inserts, and a unique violation is translated by looking again (never
 * check-then-insert as the rule itself).
 */
@Singleton
public class AuthProfileService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthProfileService.class);
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthProfileRepository profiles;
    private final AuthProfileSecretRepository secrets;
    private final SecretCipher cipher;
    private final ProviderCatalog catalog;
    private final ConnectTokens connectTokens;
    private final RefresherClient refresher;

    AuthProfileService(AuthProfileRepository profiles, AuthProfileSecretRepository secrets, SecretCipher cipher,
                       ProviderCatalog catalog, ConnectTokens connectTokens, RefresherClient refresher) {
        this.profiles = profiles;
        this.secrets = secrets;
        this.cipher = cipher;
        this.catalog = catalog;
        this.connectTokens = connectTokens;
        this.refresher = refresher;
    }

    /** A validated create request. */
    record NewProfile(String connectorKey, ProviderDefinition provider, String kind, String displayName,
                      @Nullable String slug, List<String> scopes, boolean shared, Map<String, String> connectionParams) {
    }

    /** Result of a create: the profile, a connect link for oauth_account, and whether it was reused. */
    record Created(AuthProfile profile, @Nullable ConnectTokens.Link link, boolean reused) {
    }

    NewProfile validate(Caller caller, CreateAuthProfileRequest r) {
        if (r.connectorKey() == null || !KEY.matcher(r.connectorKey()).matches()) {
            throw ProblemException.badRequest("connectorKey is required: lower-case letters, digits, '-' or '_'.");
        }
        String kind = r.profileKind() == null ? AuthProfile.KIND_OAUTH_ACCOUNT : r.profileKind();
        if (!List.of(AuthProfile.KIND_OAUTH_ACCOUNT, AuthProfile.KIND_OAUTH_APP, AuthProfile.KIND_API_KEY).contains(kind)) {
            throw ProblemException.badRequest("profileKind must be oauth_account, oauth_app or api_key.");
        }
        String providerKey = r.providerKey() == null ? r.connectorKey() : r.providerKey();
        ProviderDefinition provider = catalog.find(providerKey).orElse(null);
        if (provider == null && !AuthProfile.KIND_API_KEY.equals(kind)) {
            throw ProblemException.badRequest("Unknown provider '" + sanitize(providerKey) + "'.");
        }
        if (r.slug() != null && !SLUG.matcher(r.slug()).matches()) {
            throw ProblemException.badRequest("slug must be 1-63 lower-case letters, digits or '-'.");
        }
        String displayName = r.displayName() == null || r.displayName().isBlank()
                ? (provider == null ? r.connectorKey() : provider.name()) : r.displayName().trim();
        if (displayName.length() > 200) {
            throw ProblemException.badRequest("displayName is longer than 200 characters.");
        }
        List<String> scopes = r.scopes() == null ? (provider == null ? List.of() : provider.defaultScopes())
                : List.copyOf(new LinkedHashSet<>(r.scopes()));
        for (String s : scopes) {
            if (s == null || s.isBlank() || s.chars().anyMatch(Character::isWhitespace) || s.length() > 200) {
                throw ProblemException.badRequest("scopes must be non-empty strings without spaces.");
            }
        }
        boolean shared = Boolean.TRUE.equals(r.shared());
        if (AuthProfile.KIND_OAUTH_APP.equals(kind)) {
            if (!caller.isOrgAdmin()) {
                throw ProblemException.forbidden("Only org owners and admins register OAuth apps.");
            }
            if (blank(r.clientId()) || blank(r.clientSecret())) {
                throw ProblemException.badRequest("An oauth_app profile needs clientId and clientSecret.");
            }
            shared = true;
        }
        if (AuthProfile.KIND_API_KEY.equals(kind) && blank(r.apiKey())) {
            throw ProblemException.badRequest("An api_key profile needs apiKey.");
        }
        if (shared && !caller.isOrgAdmin()) {
            throw ProblemException.forbidden("Only org owners and admins create shared profiles.");
        }
        return new NewProfile(r.connectorKey(), provider, kind, displayName, r.slug(), scopes, shared,
                connectionParams(provider, kind, r.connectionParams()));
    }

    /**
     * The per-tenant values of an oauth_account profile: exactly the parameters the provider
     * declares, each a host-name label (so a value picks a tenant and can never point elsewhere).
     */
    private static Map<String, String> connectionParams(@Nullable ProviderDefinition provider, String kind,
                                                        @Nullable Map<String, String> given) {
        Map<String, String> values = given == null ? Map.of() : given;
        if (provider == null || !AuthProfile.KIND_OAUTH_ACCOUNT.equals(kind) || !provider.perTenant()) {
            if (!values.isEmpty()) {
                throw ProblemException.badRequest("connectionParams are only for providers that declare them"
                        + (provider == null ? "." : "; " + provider.name() + " declares none."));
            }
            return Map.of();
        }
        for (String name : values.keySet()) {
            if (!provider.connectionParams().containsKey(name)) {
                throw ProblemException.badRequest("connectionParams has '" + sanitize(name) + "', which "
                        + provider.name() + " does not use; it needs " + provider.connectionParams().keySet() + ".");
            }
        }
        for (Map.Entry<String, String> p : provider.connectionParams().entrySet()) {
            String v = values.get(p.getKey());
            if (v == null || v.isBlank()) {
                throw ProblemException.badRequest(provider.name() + " needs connectionParams." + p.getKey()
                        + " (" + p.getValue() + ").");
            }
            if (!ProviderDefinition.validParamValue(v)) {
                throw ProblemException.badRequest("connectionParams." + p.getKey()
                        + " may hold only letters, digits, '-' and single dots, up to 100 characters.");
            }
        }
        return Map.copyOf(values);
    }

    /**
     * Creates an oauth_account profile, or reuses the caller's pending one (or the one that needs
     * re-auth, so a reconnect keeps the profile id), minting a fresh connect link either way.
     */
    Created createOAuthAccount(Caller caller, NewProfile n) {
        Created existing = reuse(caller, n);
        if (existing != null) {
            return existing;
        }
        Instant now = Instant.now();
        String slug = n.slug() != null ? n.slug() : generatedSlug(n.connectorKey());
        AuthProfile profile = new AuthProfile(UUID.randomUUID(), caller.orgId(), caller.userId(), n.connectorKey(),
                n.provider().key(), AuthProfile.KIND_OAUTH_ACCOUNT, AuthProfile.PENDING_AUTH, n.displayName(), slug,
                n.shared(), String.join(" ", n.scopes()), null, null, now, now, null, n.connectionParams());
        try {
            profiles.save(profile);
        } catch (RuntimeException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // Someone (most often this same user, double-clicking) won the race, or the slug is taken.
            Created winner = reuse(caller, n);
            if (winner != null) {
                return winner;
            }
            if (profiles.findBySlug(caller.orgId(), slug) != null) {
                throw slugTaken(slug);
            }
            // The colliding row is gone already (deleted or connected in between): still a clean 409.
            throw new ProblemException(Problem.of("pending-auth-conflict", "Pending authorization exists", 409,
                    "Another connection attempt for this connector was in progress. Try again."));
        }
        return new Created(profile, connectTokens.mint(profile.id(), caller.userId()), false);
    }

    @Nullable
    private Created reuse(Caller caller, NewProfile n) {
        AuthProfile pending = profiles.findPending(caller.orgId(), n.connectorKey(), n.provider().key(), caller.userId());
        if (pending == null) {
            pending = profiles.findNeedingReauth(caller.orgId(), n.connectorKey(), n.provider().key(), caller.userId());
            if (pending != null && n.slug() != null && !n.slug().equals(pending.slug())) {
                return null; // an explicit new slug while the old one needs re-auth: a separate profile
            }
        }
        if (pending == null) {
            return null;
        }
        if (!n.connectionParams().equals(pending.connectionParams())) {
            throw new ProblemException(Problem.of("pending-auth-conflict", "Pending authorization exists", 409,
                    "A connection to " + n.provider().name() + " for another tenant ("
                            + pending.connectionParams() + ") is already waiting for authorization. "
                            + "Finish or delete it first.")
                    .with("existing", AuthProfileView.of(pending)));
        }
        if (n.slug() != null && !n.slug().equals(pending.slug())) {
            throw new ProblemException(Problem.of("pending-auth-conflict", "Pending authorization exists", 409,
                    "A connection to " + n.provider().name() + " named '" + pending.slug()
                            + "' is already waiting for authorization. Finish or delete it first.")
                    .with("existing", AuthProfileView.of(pending)));
        }
        return new Created(pending, connectTokens.mint(pending.id(), caller.userId()), true);
    }

    /** oauth_app and api_key profiles: active at once, their secret sealed in the same transaction. */
    @Transactional
    public Created createWithSecret(Caller caller, NewProfile n, @Nullable String clientId, String secret) {
        Instant now = Instant.now();
        String slug = n.slug() != null ? n.slug() : generatedSlug(n.connectorKey() + ("oauth_app".equals(n.kind()) ? "-app" : "-key"));
        String providerKey = n.provider() == null ? n.connectorKey() : n.provider().key();
        AuthProfile profile = new AuthProfile(UUID.randomUUID(), caller.orgId(), caller.userId(), n.connectorKey(),
                providerKey, n.kind(), AuthProfile.ACTIVE, n.displayName(), slug, n.shared(),
                String.join(" ", n.scopes()), null, null, now, now, now, Map.of());
        profiles.save(profile);
        SecretCipher.Sealed sealed = cipher.encrypt(profile.id(), secret);
        secrets.save(new AuthProfileSecret(profile.id(), clientId, sealed.ciphertext(), sealed.keyId()));
        return new Created(profile, null, false);
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
            throw ProblemException.notFound("No auth profile " + id + ".");
        }
        if (!(caller.isOrgAdmin() || caller.is(p.createdBy()) || p.shared())) {
            throw ProblemException.forbidden("This auth profile belongs to another user.");
        }
        return p;
    }

    /** Deletes a profile and its stored credential; the credential goes first so none is orphaned. */
    void delete(Caller caller, UUID id) {
        AuthProfile p = get(caller, id);
        if (!caller.isOrgAdmin() && !caller.is(p.createdBy())) {
            throw ProblemException.forbidden("Only its creator or an org admin may delete this profile.");
        }
        // A profile that never connected has no credential; a callback racing this delete finds the
        // row gone and removes the credential it just handed over (ConnectService).
        if (AuthProfile.KIND_OAUTH_ACCOUNT.equals(p.kind()) && p.connectedAt() != null) {
            try {
                refresher.delete(p.id());
            } catch (RefresherClient.RefresherUnavailableException e) {
                LOG.warn("credential of profile {} not deleted: {}", p.id(), e.getMessage());
                throw new ProblemException(Problem.of("dependency-unavailable", "Service unavailable", 503,
                        "The stored credential could not be removed right now; nothing was deleted. Try again."));
            }
        }
        if (profiles.deleteProfile(p.id()) == 0) {
            throw ProblemException.notFound("No auth profile " + id + ".");
        }
    }

    /** A fresh connect link for a profile that needs re-auth (or is still pending); same profile id. */
    Created reconnect(Caller caller, UUID id) {
        AuthProfile p = get(caller, id);
        if (!caller.is(p.createdBy())) {
            throw ProblemException.forbidden("Only the user who connected this account can reconnect it.");
        }
        if (!AuthProfile.KIND_OAUTH_ACCOUNT.equals(p.kind())
                || !(AuthProfile.NEEDS_REAUTH.equals(p.status()) || AuthProfile.PENDING_AUTH.equals(p.status()))) {
            throw ProblemException.conflict("not-reconnectable",
                    "Only an OAuth account that is pending or needs re-auth can be reconnected; this one is " + p.status() + ".");
        }
        return new Created(p, connectTokens.mint(p.id(), caller.userId()), true);
    }

    /** token-refresher's verdict: active or needs_reauth. */
    void updateStatus(UUID id, ProfileStatusRequest r) {
        if (r.status() == null || !(AuthProfile.ACTIVE.equals(r.status()) || AuthProfile.NEEDS_REAUTH.equals(r.status()))) {
            throw ProblemException.badRequest("status must be active or needs_reauth.");
        }
        if (r.errorCode() != null && !r.errorCode().matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw ProblemException.badRequest("errorCode must be a short code.");
        }
        String errorCode = AuthProfile.ACTIVE.equals(r.status()) ? null : r.errorCode();
        if (profiles.updateConnectedStatus(id, r.status(), errorCode) == 0) {
            AuthProfile p = profiles.findById(id);
            if (p == null) {
                throw ProblemException.notFound("No auth profile " + id + ".");
            }
            throw ProblemException.conflict("status-not-applicable",
                    "A profile that is " + p.status() + " does not take a refresher status.");
        }
    }

    private static ProblemException slugTaken(String slug) {
        return ProblemException.conflict("slug-taken", "The slug '" + slug + "' is already used in this organization.");
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String generatedSlug(String base) {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder(base.length() > 50 ? base.substring(0, 50) : base).append('-');
        for (int i = 0; i < 6; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString().replace('_', '-');
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Echo only harmless characters of user input in a problem detail. */
    private static String sanitize(String s) {
        String clean = s == null ? "" : s.replaceAll("[^A-Za-z0-9_-]", "");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    static List<AuthProfileView> views(List<AuthProfile> list) {
        List<AuthProfileView> out = new ArrayList<>(list.size());
        list.forEach(p -> out.add(AuthProfileView.of(p)));
        return out;
    }
}
