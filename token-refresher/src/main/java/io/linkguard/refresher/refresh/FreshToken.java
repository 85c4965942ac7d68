package io.linkguard.refresher.refresh;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** The answer of {@code POST /api/connections/{id}/access-token} (docs/API.md, "Fresh provider tokens for workers"). */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FreshToken(String accessToken, String tokenType, @Nullable Instant expiresAt, List<String> scopes) {
}
