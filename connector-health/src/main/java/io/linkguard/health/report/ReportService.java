package io.linkguard.health.report;

import io.linkguard.health.problem.Refusal;
import io.linkguard.http.security.UserDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Applies poll reports to the health rows. */
@Singleton
public class ReportService {

    /** Batches are bounded so one request cannot hold a connection for long. */
    static final int MAX_BATCH = 500;
    /** A clock far ahead would make every later report look "older" and be ignored. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final HealthRepository repository;
    private final ErrorCodes errorCodes;
    private final UserDirectory users;

    private final Counter droppedReports;
    private final Counter removedRows;

    ReportService(HealthRepository repository, ErrorCodes errorCodes, UserDirectory users, MeterRegistry metrics) {
        this.repository = repository;
        this.errorCodes = errorCodes;
        this.users = users;
        this.droppedReports = Counter.builder("linkguard.health.reports.dropped").tag("reason", "unknown_user")
                .description("Internal reports for users that no longer exist, dropped instead of applied")
                .register(metrics);
        this.removedRows = Counter.builder("linkguard.health.connections.removed")
                .description("Connector rows removed because their connection was deleted").register(metrics);
    }

    /**
     * Reports from a worker of {@code orgId}: every user must belong to that org, else the
     * whole request is refused as not found (and nothing is written).
     *
     * @param orgId   the worker's org
     * @param reports the reports
     * @return one result per report
     */
    public ReportResult applyForOrg(UUID orgId, List<HealthReport> reports) {
        validate(reports);
        for (HealthReport r : reports) {
            if (r.outcomeKind() == Outcome.DISABLED) {
                throw Refusal.invalid("outcome: must be 'success' or 'failure'");
            }
            if (!users.orgOf(r.userId()).map(orgId::equals).orElse(false)) {
                throw Refusal.notFound("No such user.");
            }
        }
        return apply(reports, r -> orgId, false);
    }

    /**
     * Reports from Linkguard's own services, which name the org themselves.
     *
     * @param reports the reports
     * @return one result per report
     */
    public ReportResult applyInternal(List<HealthReport> reports) {
        validate(reports);
        for (HealthReport r : reports) {
            if (r.orgId() == null) {
                throw Refusal.invalid("orgId: must not be null for internal reports");
            }
        }
        // A report queued before its user was deleted and delivered after must not bring the user's
        // rows back: a user auth-server no longer knows (or who moved org) is dropped and counted.
        List<ReportResult.Item> items = new ArrayList<>(reports.size());
        for (HealthReport r : reports) {
            if (users.orgOf(r.userId()).map(r.orgId()::equals).orElse(false)) {
                items.addAll(apply(List.of(r), HealthReport::orgId, true).results());
            } else {
                droppedReports.increment();
                items.add(new ReportResult.Item(r.userId(), r.connector(), false, null, null));
            }
        }
        return new ReportResult(items);
    }

    /** A deleted connection: its connector's row goes, and the user's cached org is kept as it is. */
    public void remove(Removal r) {
        if (repository.remove(r.userId(), r.connector(), r.orgId(), r.authProfileId())) {
            removedRows.increment();
        }
    }

    private ReportResult apply(List<HealthReport> reports, java.util.function.Function<HealthReport, UUID> org,
                               boolean internal) {
        List<ReportResult.Item> items = new ArrayList<>(reports.size());
        for (HealthReport r : reports) {
            Outcome outcome = r.outcomeKind();
            String code = outcome == Outcome.SUCCESS ? null : errorCodes.codeOf(r);
            HealthRepository.Change change = switch (outcome) {
                case SUCCESS -> HealthRepository.Change.SUCCESS;
                case DISABLED -> HealthRepository.Change.DISABLED;
                case FAILURE -> errorCodes.isRevoked(code) ? HealthRepository.Change.REVOKED
                        : errorCodes.isPermanent(code, r.permanent())
                        ? HealthRepository.Change.PERMANENT_FAILURE : HealthRepository.Change.TRANSIENT_FAILURE;
            };
            HealthRepository.Applied after = repository.apply(r.userId(), r.connector(), org.apply(r), change, code,
                    r.observedAt(), r.authProfileId(), internal);
            items.add(new ReportResult.Item(r.userId(), r.connector(), after != null,
                    after == null ? null : after.status(), code));
        }
        return new ReportResult(items);
    }

    private static void validate(List<HealthReport> reports) {
        if (reports.isEmpty()) {
            throw Refusal.invalid("At least one report is required.");
        }
        if (reports.size() > MAX_BATCH) {
            throw Refusal.invalid("At most " + MAX_BATCH + " reports per request.");
        }
        Instant latest = Instant.now().plus(MAX_CLOCK_SKEW);
        for (HealthReport r : reports) {
            if (r.observedAt() != null && r.observedAt().isAfter(latest)) {
                throw Refusal.invalid("observedAt: must not be in the future");
            }
        }
    }
}
