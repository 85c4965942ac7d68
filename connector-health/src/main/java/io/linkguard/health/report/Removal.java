package io.linkguard.health.report;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.UUID;

/**
 * token-refresher's notice that a connection was deleted.
 *
 * @param orgId         the connection's org
 * @param userId        its user
 * @param connector     its connector
 * @param authProfileId the deleted auth profile
 */
@Serdeable
public record Removal(@NotNull UUID orgId, @NotNull UUID userId,
                      @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9_.-]{0,63}$") String connector,
                      @NotNull UUID authProfileId) {
}
