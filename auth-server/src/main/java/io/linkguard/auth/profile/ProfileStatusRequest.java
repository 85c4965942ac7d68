package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** token-refresher's {@code POST /internal/auth-profiles/{id}/status}. */
@Serdeable
public record ProfileStatusRequest(@Nullable String status, @Nullable String errorCode) {
}
