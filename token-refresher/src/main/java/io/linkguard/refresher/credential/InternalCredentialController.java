package io.linkguard.refresher.credential;

import io.linkguard.refresher.refresh.RefreshService;
import io.linkguard.refresher.report.ReportOutbox;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The credential store's internal API: auth-server's connect callback and user deletion (never routed by the gateway). */
@Controller("/internal")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class InternalCredentialController {

    @Serdeable
    record StoreCredential(@NotNull UUID orgId, @NotNull UUID userId, @NotBlank String connectorKey, @NotBlank String providerKey,
                           @NotBlank String accessToken, @Nullable String refreshToken, @Nullable String tokenType,
                           @Nullable Instant expiresAt, @Nullable List<String> scopes, @Nullable String clientId) {
    }

    @Serdeable
    record Stored(UUID authProfileId, long version) {
    }

    private final CredentialRepository credentials;
    private final TokenCipher cipher;
    private final RefreshService refresh;

    private final ReportOutbox outbox;
    private final TransactionOperations<Connection> tx;

    InternalCredentialController(CredentialRepository credentials, TokenCipher cipher, RefreshService refresh,
                                 ReportOutbox outbox, TransactionOperations<Connection> tx) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.refresh = refresh;
        this.outbox = outbox;
        this.tx = tx;
    }

    @Put("/credentials/{authProfileId}")
    Stored store(@PathVariable UUID authProfileId, @Valid @Body StoreCredential c) {
        long version = credentials.upsert(authProfileId, c.orgId(), c.userId(), c.connectorKey(), c.providerKey(),
                cipher.activeKeyId(), cipher.encrypt(authProfileId, c.accessToken()),
                c.refreshToken() == null ? null : cipher.encrypt(authProfileId, c.refreshToken()),
                c.tokenType() == null ? "Bearer" : c.tokenType(), c.expiresAt(),
                c.scopes() == null ? new String[0] : c.scopes().toArray(String[]::new), refresh.nextRefreshAt(c.expiresAt(), c.refreshToken() != null),
                c.clientId());
        return new Stored(authProfileId, version);
    }

    /**
     * A connection was deleted: the credential goes, its grant is queued for revocation at the
     * provider, and connector-health is told to drop the connector's row (so the banner goes) — all
     * in one transaction, delivered later by the outboxes whatever is down right now. Repeatable.
     */
    @Delete("/credentials/{authProfileId}")
    HttpResponse<Void> delete(@PathVariable UUID authProfileId) {
        tx.executeWrite(status -> {
            credentials.deleteAndQueueRevocation("auth_profile_id = ?", authProfileId).forEach(outbox::removed);
            return null;
        });
        return HttpResponse.noContent();
    }

    /** A user was deleted: their credentials and queued reports go, their grants are queued for revocation. */
    @Delete("/users/{userId}")
    HttpResponse<Void> deleteUser(@PathVariable UUID userId) {
        tx.executeWrite(status -> {
            credentials.deleteQueuedReports(userId);
            credentials.deleteAndQueueRevocation("user_id = ?", userId);
            return null;
        });
        return HttpResponse.noContent();
    }
}
