package io.linkguard.health.org;

import io.linkguard.health.page.Paging;
import io.linkguard.health.status.HealthStatus;
import io.linkguard.http.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The admin's view: "which of my users need to reconnect?" without polling every user. Only an
 * owner/admin of the org in the path with the {@code admin} scope gets here: the shared
 * AccessPolicy filter answers 404 for another org and 403 for anyone else first.
 */
@Controller("/api/orgs/{orgId}/connections")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class OrgConnectionsController {

    static final String CURSOR_KIND = "connections";

    private final OrgConnectionsRepository repository;

    OrgConnectionsController(OrgConnectionsRepository repository) {
        this.repository = repository;
    }

    @Get("{?status,connector,cursor,limit}")
    ConnectionsPage list(@PathVariable UUID orgId, @Nullable @QueryValue String status,
                         @Nullable @QueryValue String connector, @Nullable @QueryValue String cursor,
                         @Nullable @QueryValue Integer limit) {
        HealthStatus onlyStatus = status == null || status.isEmpty() ? null : HealthStatus.parse(status)
                // a typo must not look like "nobody needs to reconnect"
                .orElseThrow(() -> ProblemException.badRequest("status: must be one of " + String.join(", ",
                        Arrays.stream(HealthStatus.values()).map(HealthStatus::value).toList())));
        String onlyConnector = Paging.connector(connector);
        int size = Paging.limit(limit);
        List<String> key = Paging.decode(CURSOR_KIND, cursor, 2);
        OrgConnectionsRepository.Key after;
        try {
            after = key == null ? null : new OrgConnectionsRepository.Key(UUID.fromString(key.get(0)), key.get(1));
        } catch (IllegalArgumentException e) {
            throw Paging.invalid();
        }
        List<OrgConnection> rows = repository.page(orgId, onlyStatus, onlyConnector, after, size + 1);
        boolean more = rows.size() > size;
        List<OrgConnection> page = more ? rows.subList(0, size) : rows;
        OrgConnection last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new ConnectionsPage(orgId, page,
                more ? Paging.encode(CURSOR_KIND, last.userId().toString(), last.connector()) : null);
    }

    @Get("/summary")
    ConnectionsSummary summary(@PathVariable UUID orgId) {
        Map<String, Long> byStatus = zeros();
        Map<String, Map<String, Long>> byConnector = new TreeMap<>();
        long total = 0;
        for (OrgConnectionsRepository.Count c : repository.counts(orgId)) {
            total += c.rows();
            byStatus.merge(c.status().value(), c.rows(), Long::sum);
            byConnector.computeIfAbsent(c.connector(), k -> zeros()).merge(c.status().value(), c.rows(), Long::sum);
        }
        return new ConnectionsSummary(orgId, total, byStatus, byConnector);
    }

    /** Every status, in display order, with no rows yet. */
    private static Map<String, Long> zeros() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (HealthStatus s : HealthStatus.values()) {
            m.put(s.value(), 0L);
        }
        return m;
    }
}
