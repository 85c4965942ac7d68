package io.linkguard.auth.member;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Members and service accounts of an org, for its owners and admins. Who gets here is decided
 * by the shared access policy (owner/admin role and the admin scope, the path's org is the
 * caller's, else 404); the rules between owners and admins are {@link MemberService}'s.
 */
@Controller("/api/orgs/{orgId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class MemberController {

    static final int MAX_LIMIT = 200;

    @Serdeable
    record RoleChange(@Nullable String role) {
    }

    @Serdeable
    record ServiceAccounts(List<ServiceAccount> serviceAccounts) {
    }

    @Serdeable
    record NewSecret(String clientId, String clientSecret) {
    }

    private final MemberRepository members;
    private final MemberService service;

    MemberController(MemberRepository members, MemberService service) {
        this.members = members;
        this.service = service;
    }

    @Get("/members")
    MemberPage list(@PathVariable UUID orgId, @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw AuthProblem.BAD_REQUEST.refuse("limit: must be 1 to " + MAX_LIMIT);
        }
        List<Member> page = members.page(orgId, cursor == null ? null : decode(cursor), n + 1);
        boolean more = page.size() > n;
        List<Member> shown = more ? page.subList(0, n) : page;
        return new MemberPage(shown, more ? encode(shown.get(n - 1).email()) : null);
    }

    @Patch("/members/{userId}")
    Member changeRole(@PathVariable UUID orgId, @PathVariable UUID userId, @Body RoleChange change, Authentication auth) {
        return service.changeRole(orgId, Caller.of(auth).requireUser(), userId, change.role());
    }

    @Delete("/members/{userId}")
    HttpResponse<Void> remove(@PathVariable UUID orgId, @PathVariable UUID userId, Authentication auth) {
        service.remove(orgId, Caller.of(auth).requireUser(), userId);
        return HttpResponse.noContent();
    }

    @Get("/service-accounts")
    ServiceAccounts serviceAccounts(@PathVariable UUID orgId) {
        return new ServiceAccounts(members.serviceAccounts(orgId));
    }

    /** A new secret, shown once; the old secret is refused from this moment. */
    @Post("/service-accounts/{clientId}/secret")
    NewSecret rotate(@PathVariable UUID orgId, @PathVariable String clientId) {
        return new NewSecret(clientId, service.rotateSecret(orgId, clientId));
    }

    @Delete("/service-accounts/{clientId}")
    HttpResponse<Void> revoke(@PathVariable UUID orgId, @PathVariable String clientId) {
        service.revoke(orgId, clientId);
        return HttpResponse.noContent();
    }

    private static String encode(String email) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(email.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AuthProblem.BAD_REQUEST.refuse("cursor: not a cursor this API returned");
        }
    }
}
