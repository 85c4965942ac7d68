package io.linkguard.auth.account;

import java.util.UUID;

/**
 * A user with their org and role.
 *
 * @param id           user id
 * @param orgId        org id
 * @param email        login
 * @param role         owner | admin | member
 * @param passwordHash Argon2id PHC string (never leaves the service)
 */
public record UserAccount(UUID id, UUID orgId, String email, String role, String passwordHash) {
}
