package io.linkguard.auth.member;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A member of an org as its admins see them (never the password hash); {@code passwordChangeRequired}
 * flags an owner still using the deployment's bootstrap password.
 */
@Serdeable
record Member(UUID userId, String email, String role, Instant createdAt, boolean passwordChangeRequired) {
}
