package io.linkguard.auth.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** RFC 6749 §5.1 successful token response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(String access_token, String token_type, long expires_in,
                            @Nullable String refresh_token, String scope) {
}
