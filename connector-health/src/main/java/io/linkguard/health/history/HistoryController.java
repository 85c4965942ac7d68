package io.linkguard.health.history;

import io.linkguard.health.page.Paging;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.List;
import java.util.UUID;

/**
 * A user's status transitions, newest first. Who may read them (the user with
 * {@code connectors:read}, an admin of their org) is decided by the shared AccessPolicy filter
 * before this runs, exactly as for the status endpoint.
 */
@Controller("/api/connectors")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class HistoryController {

    static final String CURSOR_KIND = "history";

    private final HistoryRepository repository;

    HistoryController(HistoryRepository repository) {
        this.repository = repository;
    }

    @Get("/{userId}/history{?connector,cursor,limit}")
    HistoryPage history(@PathVariable UUID userId, @Nullable @QueryValue String connector,
                        @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        String only = Paging.connector(connector);
        int size = Paging.limit(limit);
        List<String> key = Paging.decode(CURSOR_KIND, cursor, 1);
        Long before;
        try {
            before = key == null ? null : Long.valueOf(key.get(0));
        } catch (NumberFormatException e) {
            throw Paging.invalid();
        }
        // one row more than asked tells whether there is a next page without a count
        List<HistoryRepository.Row> rows = repository.page(userId, only, before, size + 1);
        boolean more = rows.size() > size;
        List<HistoryRepository.Row> page = more ? rows.subList(0, size) : rows;
        String next = more ? Paging.encode(CURSOR_KIND, Long.toString(page.get(page.size() - 1).id())) : null;
        return new HistoryPage(userId, page.stream().map(HistoryRepository.Row::entry).toList(), next);
    }
}
