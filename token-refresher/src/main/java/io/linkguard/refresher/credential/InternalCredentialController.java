package io.linkguard.refresher.credential;

import io.linkguard.refresher.refresh.RefreshService;
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

    InternalCredentialController(CredentialRepository credentials, TokenCipher cipher, RefreshService refresh) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.refresh = refresh;
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

    @Delete("/credentials/{authProfileId}")
    HttpResponse<Void> delete(@PathVariable UUID authProfileId) {
        credentials.delete(authProfileId);
        return HttpResponse.noContent();
    }

    @Delete("/users/{userId}")
    HttpResponse<Void> deleteUser(@PathVariable UUID userId) {
        credentials.deleteUser(userId);
        return HttpResponse.noContent();
    }
}
