package io.linkguard.health.report;

import io.linkguard.http.security.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import java.util.List;


/** Workers' poll outcomes ({@code POST /api/health/reports}) and the same for Linkguard's own services. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ReportController {

    private final ReportService service;
    private final ReportBodies bodies;

    ReportController(ReportService service, ReportBodies bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    @Post("/api/health/reports")
    ReportResult report(@Body JsonNode body, Authentication authentication) {
        return service.applyForOrg(Caller.of(authentication).requireOrg(), bodies.read(body));
    }

    @Post("/internal/health/reports")
    ReportResult internal(@Body JsonNode body) {
        return service.applyInternal(bodies.read(body));
    }

    /** Deleted connections (from token-refresher's outbox): their rows go, so no banner outlives its connection. */
    @Post("/internal/health/removals")
    HttpResponse<Void> removals(@Body @Valid @Size(min = 1, max = 500) List<@Valid Removal> removals) {
        removals.forEach(service::remove);
        return HttpResponse.noContent();
    }
}
