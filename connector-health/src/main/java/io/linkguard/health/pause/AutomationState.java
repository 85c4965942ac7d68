package io.linkguard.health.pause;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * Combined automation state of one user (docs/API.md, "Automation pause"): the operator's switch wins.
 *
 * @param operatorPaused  the operator paused all automation
 * @param operatorReason  the operator's reason
 * @param userPaused      the user (or an admin for them) paused
 * @param pausedAt        when the user's pause was switched on
 * @param pausedReason    the user's reason
 * @param effectivePaused whether workers must hold off
 * @param pausedBy        operator | user | null
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AutomationState(boolean operatorPaused, @Nullable String operatorReason, boolean userPaused,
                              @Nullable Instant pausedAt, @Nullable String pausedReason, boolean effectivePaused,
                              @Nullable PausedBy pausedBy) {
}
