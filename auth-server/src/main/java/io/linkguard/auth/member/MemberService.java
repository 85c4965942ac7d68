package io.linkguard.auth.member;

import io.linkguard.auth.account.Role;
import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.problem.Refusal;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.deletion.UserDeletionService;
import io.linkguard.auth.revocation.RevocationLog;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * An org's admins manage its members and workers. The rules: an org always keeps at least one
 * owner; only an owner can make someone an owner or change or remove an owner; a removed member's
 * account is deleted with all its data (a user belongs to exactly one org), and their tokens stop
 * working with it. The caller's role is read from the database, not from their token, so a
 * demotion takes effect at once.
 */
@Singleton
class MemberService {

    private final MemberRepository members;
    private final UserDeletionService deletion;
    private final RevocationLog revocations;

    MemberService(MemberRepository members, UserDeletionService deletion, RevocationLog revocations) {
        this.members = members;
        this.deletion = deletion;
        this.revocations = revocations;
    }

    @Transactional
    Member changeRole(UUID orgId, UUID callerId, UUID userId, String role) {
        if (Role.parse(role).isEmpty()) {
            throw AuthProblem.BAD_REQUEST.refuse("role: must be 'owner', 'admin' or 'member'");
        }
        List<UUID> owners = members.lockOwners(orgId);
        Member target = existing(orgId, userId);
        boolean callerIsOwner = owners.contains(callerId);
        if (!callerIsOwner && (Role.OWNER.is(role) || Role.OWNER.is(target.role()))) {
            throw AuthProblem.FORBIDDEN.refuse("Only an owner can make someone an owner or change an owner's role.");
        }
        if (Role.OWNER.is(target.role()) && !Role.OWNER.is(role) && owners.size() == 1) {
            throw lastOwner();
        }
        if (!role.equals(target.role())) {
            members.setRole(orgId, userId, role);
            // their tokens name the old role: they sign in again and get the new one
            revocations.revokeUser(userId);
        }
        return new Member(target.userId(), target.email(), role, target.createdAt(), target.passwordChangeRequired());
    }

    @Transactional
    void remove(UUID orgId, UUID callerId, UUID userId) {
        List<UUID> owners = members.lockOwners(orgId);
        Member target = existing(orgId, userId);
        if (Role.OWNER.is(target.role())) {
            if (!owners.contains(callerId)) {
                throw AuthProblem.FORBIDDEN.refuse("Only an owner can remove an owner.");
            }
            if (owners.size() == 1) {
                throw lastOwner();
            }
        }
        deletion.delete(userId, orgId, userId.equals(callerId), true);
    }

    /** @return the new secret, shown once; the old one is refused from now on */
    @Transactional
    String rotateSecret(UUID orgId, String clientId) {
        String secret = Hashes.randomToken();
        if (!members.replaceSecret(orgId, clientId, Hashes.sha256(secret))) {
            throw AuthProblem.NOT_FOUND.refuse("No such service account.");
        }
        return secret;
    }

    @Transactional
    void revoke(UUID orgId, String clientId) {
        if (!members.deleteServiceAccount(orgId, clientId)) {
            throw AuthProblem.NOT_FOUND.refuse("No such service account.");
        }
        revocations.revokeSubject(clientId);   // its access tokens stop working too, within seconds
    }

    private Member existing(UUID orgId, UUID userId) {
        Member m = members.find(orgId, userId);
        if (m == null) {
            throw AuthProblem.NOT_FOUND.refuse("No such member.");
        }
        return m;
    }

    private static Refusal lastOwner() {
        return AuthProblem.LAST_OWNER.refuse("An organisation keeps at least one owner: make someone else an owner first.");
    }
}
