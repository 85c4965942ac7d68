package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The profile and, for oauth_account profiles, a fresh one-time link that starts the connect flow. */
@Serdeable
public record CreateAuthProfileResponse(AuthProfileView authProfile,
                                        @Nullable String connectUrl,
                                        @Nullable String connectToken,
                                        boolean reused) {
}
