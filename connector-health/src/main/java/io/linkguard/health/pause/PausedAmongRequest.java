package io.linkguard.health.pause;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/** token-refresher's question for a whole batch of background work: which of these users are paused? */
@Serdeable
record PausedAmongRequest(@NotNull @Size(max = 1000) List<@NotNull UUID> userIds) {
}
