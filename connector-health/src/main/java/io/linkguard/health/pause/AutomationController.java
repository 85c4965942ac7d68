package io.linkguard.health.pause;

import io.linkguard.http.security.Caller;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

import java.util.UUID;

/** The user's automation pause and the combined state workers consult. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class AutomationController {

    private final AutomationService service;

    AutomationController(AutomationService service) {
        this.service = service;
    }

    @Put("/api/users/{userId}/automation-pause")
    AutomationState pause(@PathVariable UUID userId, @Valid @Body PauseRequest request, Authentication authentication) {
        // The shared AccessPolicy filter admitted only the user themself or an org admin of
        // the same org, so the caller's org is the user's.
        UUID org = Caller.of(authentication).requireOrg();
        return service.set(userId, org, request.paused(), request.reason());
    }

    /**
     * Readable by the user with either dashboard scope, by their org's admins, and by workers of
     * the same org, who must honour the pause (AccessPolicy).
     */
    @Get("/api/users/{userId}/automation-state")
    AutomationState state(@PathVariable UUID userId) {
        return service.state(userId);
    }

    @Get("/internal/users/{userId}/automation-state")
    AutomationState internalState(@PathVariable UUID userId) {
        return service.state(userId);
    }

    /** One question per batch of background work instead of one per user (token-refresher). */
    @Post("/internal/automation-states")
    PausedAmong internalStates(@Valid @Body PausedAmongRequest request) {
        return service.pausedAmong(request.userIds());
    }
}
