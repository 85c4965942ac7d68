package io.linkguard.client;

import java.time.Instant;

/**
 * Whether a worker may act for a user right now. Check {@link #effectivePaused()}: the operator's
 * switch wins over the user's.
 *
 * @param operatorPaused  the operator paused all automation
 * @param operatorReason  the operator's reason, if given
 * @param userPaused      the user (or an admin for them) paused their automation
 * @param pausedAt        when the user's pause was switched on
 * @param pausedReason    the user's reason, if given
 * @param effectivePaused whether workers must hold off for this user
 * @param pausedBy        {@code operator}, {@code user}, or null when not paused
 */
public record AutomationState(boolean operatorPaused, String operatorReason, boolean userPaused, Instant pausedAt,
                              String pausedReason, boolean effectivePaused, String pausedBy) {
}
