package io.linkguard.health.pause;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/users/{userId}/automation-pause}.
 *
 * @param paused pause or resume
 * @param reason why, shown to the user
 */
@Serdeable
public record PauseRequest(@NotNull Boolean paused, @Nullable @Size(max = 200) String reason) {
}
