package io.linkguard.health.pause;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * The user's pause and the operator's panic button ({@link OperatorPauseConfiguration}), combined:
 * the operator's switch wins.
 */
@Singleton
public class AutomationService {

    private final AutomationPauseRepository repository;
    private final boolean operatorPaused;
    private final String operatorReason;

    AutomationService(AutomationPauseRepository repository, OperatorPauseConfiguration operator) {
        this.repository = repository;
        this.operatorPaused = operator.operatorPaused();
        this.operatorReason = operator.reason();
    }

    /**
     * @param userId a user
     * @return the combined state
     */
    public AutomationState state(UUID userId) {
        return combine(repository.find(userId));
    }

    /**
     * @param userId the user
     * @param orgId  the user's org
     * @param paused pause or resume
     * @param reason why
     * @return the combined state afterwards
     */
    public AutomationState set(UUID userId, UUID orgId, boolean paused, @Nullable String reason) {
        String r = reason == null || reason.isBlank() ? null : reason.trim();
        return combine(repository.set(userId, orgId, paused, r));
    }

    /**
     * @param userIds users (at most a batch)
     * @return which of them are paused; all of them while the operator's switch is on
     */
    PausedAmong pausedAmong(List<UUID> userIds) {
        if (operatorPaused) {
            return new PausedAmong(true, List.copyOf(new LinkedHashSet<>(userIds)));
        }
        return new PausedAmong(false, repository.pausedAmong(userIds));
    }

    private AutomationState combine(@Nullable AutomationPauseRepository.Row row) {
        boolean userPaused = row != null && row.paused();
        PausedBy pausedBy = operatorPaused ? PausedBy.OPERATOR : userPaused ? PausedBy.USER : null;
        return new AutomationState(operatorPaused, operatorPaused ? operatorReason : null, userPaused,
                userPaused ? row.pausedAt() : null, userPaused ? row.reason() : null,
                operatorPaused || userPaused, pausedBy);
    }
}
