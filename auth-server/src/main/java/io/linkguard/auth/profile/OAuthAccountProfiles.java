package io.linkguard.auth.profile;

import io.linkguard.auth.connect.ConnectTokens;
import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.problem.Refusal;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * The connect side of auth profiles: an {@code oauth_account} profile is created pending, with a
 * connect link, and handed a fresh link whenever its user starts again. Uniqueness is decided by the
 * database: the partial unique index (one pending oauth_account per org, connector, provider and
 * creating user) and the slug per org. A create inserts, and a unique violation is translated by
 * looking again (never check-then-insert as the rule itself).
 */
@Singleton
class OAuthAccountProfiles {

    private final AuthProfileRepository profiles;
    private final AuthProfileService service;
    private final ConnectTokens connectTokens;

    OAuthAccountProfiles(AuthProfileRepository profiles, AuthProfileService service, ConnectTokens connectTokens) {
        this.profiles = profiles;
        this.service = service;
        this.connectTokens = connectTokens;
    }

    /**
     * Creates an oauth_account profile, or reuses the caller's pending one (or the one that needs
     * re-auth, so a reconnect keeps the profile id), minting a fresh connect link either way.
     */
    CreatedProfile create(Caller caller, NewProfile n) {
        CreatedProfile existing = reuse(caller, n);
        if (existing != null) {
            return existing;
        }
        Instant now = Instant.now();
        String slug = n.slugOr(n.connectorKey());
        AuthProfile profile = new AuthProfile(UUID.randomUUID(), caller.orgId(), caller.userId(), n.connectorKey(),
                n.provider().key(), ProfileKind.OAUTH_ACCOUNT, ProfileStatus.PENDING_AUTH, n.displayName(), slug,
                n.shared(), String.join(" ", n.scopes()), null, null, now, now, null, n.connectionParams());
        try {
            profiles.save(profile);
        } catch (RuntimeException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // Someone (most often this same user, double-clicking) won the race, or the slug is taken.
            CreatedProfile winner = reuse(caller, n);
            if (winner != null) {
                return winner;
            }
            if (profiles.findBySlug(caller.orgId(), slug) != null) {
                throw AuthProfileService.slugTaken(slug);
            }
            // The colliding row is gone already (deleted or connected in between): still a clean 409.
            throw AuthProblem.PENDING_AUTH_CONFLICT.refuse("Another connection attempt for this connector was in progress. Try again.");
        }
        return new CreatedProfile(profile, connectTokens.mint(profile.id(), caller.userId()), false);
    }

    @Nullable
    private CreatedProfile reuse(Caller caller, NewProfile n) {
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
            throw pendingConflict(pending, "A connection to " + n.provider().name() + " for another tenant ("
                    + pending.connectionParams() + ") is already waiting for authorization. Finish or delete it first.");
        }
        if (n.slug() != null && !n.slug().equals(pending.slug())) {
            throw pendingConflict(pending, "A connection to " + n.provider().name() + " named '" + pending.slug()
                    + "' is already waiting for authorization. Finish or delete it first.");
        }
        return new CreatedProfile(pending, connectTokens.mint(pending.id(), caller.userId()), true);
    }

    /** A fresh connect link for a profile that needs re-auth (or is still pending); same profile id. */
    CreatedProfile reconnect(Caller caller, UUID id) {
        AuthProfile p = service.get(caller, id);
        if (!caller.is(p.createdBy())) {
            throw AuthProblem.FORBIDDEN.refuse("Only the user who connected this account can reconnect it.");
        }
        if (!p.isOAuthAccount() || !p.awaitsAuthorization()) {
            throw AuthProblem.NOT_RECONNECTABLE.refuse(
                    "Only an OAuth account that is pending or needs re-auth can be reconnected; this one is " + p.status().value() + ".");
        }
        return new CreatedProfile(p, connectTokens.mint(p.id(), caller.userId()), true);
    }

    private static Refusal pendingConflict(AuthProfile pending, String detail) {
        return AuthProblem.PENDING_AUTH_CONFLICT.refuse(detail).with("existing", AuthProfileView.of(pending));
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
}
