package io.linkguard.auth.member;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** A worker's OAuth client as its org's admins see it (never the secret or its hash). */
@Serdeable
record ServiceAccount(String clientId, String name, List<String> scopes, Instant createdAt) {
}
