package io.linkguard.health.pause;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * The panic button. The operator's switch is read once at start-up from the environment
 * (LINKGUARD_OPERATOR_PAUSE / LINKGUARD_OPERATOR_PAUSE_REASON): flipping it is a deliberate
 * restart, not an API call anyone with a token could make.
 */
@Singleton
public class AutomationService {

    private final AutomationPauseRepository repository;
    private final boolean operatorPaused;
    private final String operatorReason;

    AutomationService(AutomationPauseRepository repository,
                      @Value("${linkguard.health.operator-paused:false}") boolean operatorPaused,
                      @Nullable @Value("${linkguard.health.operator-reason:}") String operatorReason) {
        this.repository = repository;
        this.operatorPaused = operatorPaused;
        this.operatorReason = operatorReason == null || operatorReason.isBlank() ? null : operatorReason;
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
        String pausedBy = operatorPaused ? "operator" : userPaused ? "user" : null;
        return new AutomationState(operatorPaused, operatorPaused ? operatorReason : null, userPaused,
                userPaused ? row.pausedAt() : null, userPaused ? row.reason() : null,
                operatorPaused || userPaused, pausedBy);
    }
}
