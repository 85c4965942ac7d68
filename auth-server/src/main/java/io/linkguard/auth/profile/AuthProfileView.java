package io.linkguard.auth.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An auth profile as the API shows it. {@code missingScopes} lists what was requested but not
 * granted by the provider (empty when everything was granted, null before the provider answered).
 * {@code connectionParams}: the tenant values of a per-tenant provider (not secret), else empty.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuthProfileView(UUID id,
                              UUID orgId,
                              @Nullable UUID createdBy,
                              String connectorKey,
                              String providerKey,
                              String profileKind,
                              String status,
                              String displayName,
                              String slug,
                              boolean shared,
                              List<String> requestedScopes,
                              @Nullable List<String> grantedScopes,
                              @Nullable List<String> missingScopes,
                              @Nullable String errorCode,
                              Instant createdAt,
                              Instant updatedAt,
                              @Nullable Instant connectedAt,
                              Map<String, String> connectionParams) {

    public static AuthProfileView of(AuthProfile p) {
        List<String> requested = split(p.requestedScopes());
        List<String> granted = p.grantedScopes() == null ? null : split(p.grantedScopes());
        List<String> missing = null;
        if (granted != null) {
            missing = new ArrayList<>(requested);
            missing.removeAll(granted);
        }
        return new AuthProfileView(p.id(), p.orgId(), p.createdBy(), p.connectorKey(), p.providerKey(), p.kind().value(),
                p.status().value(), p.displayName(), p.slug(), p.shared(), requested, granted,
                missing == null ? null : List.copyOf(missing), p.errorCode(), p.createdAt(), p.updatedAt(), p.connectedAt(),
                p.connectionParams() == null ? Map.of() : p.connectionParams());
    }

    static List<String> split(String scopes) {
        if (scopes == null || scopes.isBlank()) {
            return List.of();
        }
        return Arrays.stream(scopes.trim().split("\\s+")).toList();
    }
}
