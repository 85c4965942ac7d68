package io.linkguard.auth.connect;

import io.linkguard.auth.profile.AuthProfile;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Tells connector-health that a connection was made ({@code outcome: success}), so a
 * "needs re-auth" banner clears at once instead of at the worker's next poll.
 */
@Singleton
public class HealthReporter {

    private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);

    private final HttpClient http;
    private final InternalTokenSource internalTokens;

    HealthReporter(@Client("${linkguard.connect.health-url:`http://127.0.0.1:8083`}") HttpClient http,
                   InternalTokenSource internalTokens) {
        this.http = http;
        this.internalTokens = internalTokens;
    }

    @Serdeable
    record Report(UUID orgId, UUID userId, String connector, String outcome, @Nullable String errorCode,
                  @Nullable Boolean permanent, Instant observedAt, UUID authProfileId) {
    }

    /**
     * Best effort: the profile is already active and the credential stored; a lost report only
     * delays what connector-health shows until the next worker report.
     */
    public boolean reportConnected(AuthProfile profile) {
        Report report = new Report(profile.orgId(), profile.createdBy(), profile.connectorKey(), "success",
                null, null, Instant.now(), profile.id());
        try {
            http.toBlocking().exchange(HttpRequest.POST("/internal/health/reports", List.of(report))
                    .bearerAuth(internalTokens.internalToken()));
            return true;
        } catch (HttpClientException e) {
            LOG.warn("connected report for profile {} not delivered to connector-health", profile.id());
            return false;
        }
    }
}
