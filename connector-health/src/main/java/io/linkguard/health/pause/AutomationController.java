package io.linkguard.health.pause;

import io.linkguard.health.caller.Caller;
import io.linkguard.health.report.HealthRepository;
import io.linkguard.health.user.AccessPolicy;
import io.linkguard.health.user.UserDirectory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
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

/** The user's automation pause, the combined state workers consult, and user deletion. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class AutomationController {

    private final AutomationService service;
    private final AccessPolicy policy;
    private final HealthRepository health;
    private final UserDirectory users;

    AutomationController(AutomationService service, AccessPolicy policy, HealthRepository health, UserDirectory users) {
        this.service = service;
        this.policy = policy;
        this.health = health;
        this.users = users;
    }

    @Put("/api/users/{userId}/automation-pause")
    AutomationState pause(@PathVariable UUID userId, @Valid @Body PauseRequest request, Authentication authentication) {
        UUID org = policy.authorize(Caller.of(authentication), userId, "automation:write");
        return service.set(userId, org, request.paused(), request.reason());
    }

    /** Readable with either of the user's dashboard scopes: the dashboard shows it next to the status. */
    @Get("/api/users/{userId}/automation-state")
    AutomationState state(@PathVariable UUID userId, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        String scope = caller.scopes().contains("automation:write") ? "automation:write" : "connectors:read";
        policy.authorize(caller, userId, scope);
        return service.state(userId);
    }

    @Get("/internal/users/{userId}/automation-state")
    AutomationState internalState(@PathVariable UUID userId, Authentication authentication) {
        Caller.of(authentication).require(Caller.INTERNAL);
        return service.state(userId);
    }

    /** One question per batch of background work instead of one per user (token-refresher). */
    @Post("/internal/automation-states")
    PausedAmong internalStates(@Valid @Body PausedAmongRequest request, Authentication authentication) {
        Caller.of(authentication).require(Caller.INTERNAL);
        return service.pausedAmong(request.userIds());
    }

    /** auth-server delivers a user's deletion here until it gets a 2xx; repeating it is harmless. */
    @Delete("/internal/users/{userId}")
    HttpResponse<Void> deleteUser(@PathVariable UUID userId, Authentication authentication) {
        Caller.of(authentication).require(Caller.INTERNAL);
        health.deleteUser(userId);
        users.forget(userId);
        return HttpResponse.noContent();
    }
}
