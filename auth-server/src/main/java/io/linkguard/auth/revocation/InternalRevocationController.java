package io.linkguard.auth.revocation;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.http.security.RevocationPage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code GET /internal/revocations?since=cursor}: the revocation list for the other services
 * (internal token required; never routed by the gateway). Answers the live entries after the
 * cursor and the cursor to send next time.
 */
@Controller("/internal/revocations")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalRevocationController {

    private final RevocationLog log;

    InternalRevocationController(RevocationLog log) {
        this.log = log;
    }

    @Get
    HttpResponse<RevocationPage> since(@Nullable @QueryValue Long since) {
        long cursor = since == null ? 0 : since;
        if (cursor < 0) {
            throw AuthProblem.BAD_REQUEST.refuse("since: must be 0 or a cursor from a previous answer");
        }
        return HttpResponse.ok(log.since(cursor)).header("Cache-Control", "no-store");
    }
}
