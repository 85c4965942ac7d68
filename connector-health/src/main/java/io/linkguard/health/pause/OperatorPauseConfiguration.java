package io.linkguard.health.pause;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Size;

/**
 * The operator's panic button ({@code linkguard.health.operator-*}), read once at start-up from
 * {@code LINKGUARD_OPERATOR_PAUSE} / {@code LINKGUARD_OPERATOR_PAUSE_REASON}: flipping it is a
 * deliberate restart, not an API call anyone with a token could make.
 *
 * @param operatorPaused whether all automation is paused
 * @param operatorReason why, shown to every user; blank for none
 */
@Context
@ConfigurationProperties("linkguard.health")
public record OperatorPauseConfiguration(
        @Bindable(defaultValue = "false") boolean operatorPaused,
        @Nullable @Size(max = 200, message = "at most 200 characters: check LINKGUARD_OPERATOR_PAUSE_REASON")
        String operatorReason) {

    /** @return the reason to show, null when none was given */
    @Nullable
    public String reason() {
        return operatorReason == null || operatorReason.isBlank() ? null : operatorReason;
    }
}
