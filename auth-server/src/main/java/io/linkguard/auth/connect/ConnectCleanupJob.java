package io.linkguard.auth.connect;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes connect tokens and states an hour after they expired. A plain conditional DELETE, so
 * several replicas running it at once only share the work.
 */
@Singleton
class ConnectCleanupJob {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectCleanupJob.class);

    private final ConnectTokenRepository tokens;
    private final ConnectStateRepository states;

    ConnectCleanupJob(ConnectTokenRepository tokens, ConnectStateRepository states) {
        this.tokens = tokens;
        this.states = states;
    }

    @Scheduled(fixedDelay = "${linkguard.connect.cleanup-interval:15m}",
            initialDelay = "${linkguard.connect.cleanup-initial-delay:5m}")
    void deleteExpired() {
        int t = tokens.deleteExpired();
        int s = states.deleteExpired();
        if (t + s > 0) {
            LOG.info("Deleted {} expired connect tokens and {} expired connect states", t, s);
        }
    }
}
