package io.linkguard.health.history;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Deletes status transitions older than the retention, a batch per statement so no statement
 * holds locks for long. Safe with several replicas: each batch skips rows another replica has
 * locked (see {@code HistoryRepository}).
 */
@Singleton
public class HistoryRetentionJob {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetentionJob.class);

    private final HistoryRepository repository;
    private final HistoryConfiguration config;

    HistoryRetentionJob(HistoryRepository repository, HistoryConfiguration config) {
        this.repository = repository;
        this.config = config;
    }

    /** @return rows deleted */
    @Scheduled(fixedDelay = "${linkguard.health.history.cleanup-interval:1h}",
               initialDelay = "${linkguard.health.history.cleanup-initial-delay:1m}")
    public int run() {
        // one cutoff for the whole run, so rows ageing past it meanwhile wait for the next run
        Instant cutoff = Instant.now().minus(config.retention());
        int total = 0;
        int n;
        do {
            n = repository.pruneBatch(cutoff, config.batchSize());
            total += n;
        } while (n == config.batchSize());
        if (total > 0) {
            LOG.info("History retention deleted {} transitions recorded before {}", total, cutoff);
        }
        return total;
    }
}
