package io.linkguard.health.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a failure's error code and decides whether it means the user must reconnect. */
@Singleton
public class ErrorCodes {

    /** Codes that mean the grant is gone: only the user can fix it by reconnecting. */
    static final Set<String> PERMANENT = Set.of("invalid_grant", "unauthorized_client", "invalid_client", "access_denied");

    /**
     * Codes that say the user (or an admin) took the grant back at the provider or uninstalled the
     * app (Slack's {@code token_revoked} and {@code app_uninstalled}, and the like): the connector is
     * {@code revoked}, which also needs a reconnect, with copy that names the cause.
     */
    static final Set<String> REVOKED = Set.of("token_revoked", "access_revoked", "grant_revoked", "app_uninstalled",
            "account_revoked", "revoked");

    private final JsonMapper json;

    ErrorCodes(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param report a failure report
     * @return {@code errorCode}, else the {@code error} member of the provider's JSON body, else null
     */
    @Nullable
    public String codeOf(HealthReport report) {
        if (report.errorCode() != null && !report.errorCode().isBlank()) {
            return report.errorCode().trim();
        }
        String body = report.providerResponse();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            Map<?, ?> parsed = json.readValue(body, Map.class);
            Object error = parsed == null ? null : parsed.get("error");
            // RFC 6749 uses a string; some providers nest an object ({"error": {"code": …}}).
            if (error instanceof String s && !s.isBlank()) {
                return s.trim().length() > 100 ? s.trim().substring(0, 100) : s.trim();
            }
            if (error instanceof Map<?, ?> m && m.get("code") instanceof String s && !s.isBlank()) {
                return s.trim();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param code the failure's code
     * @return whether it says the grant was taken back at the provider
     */
    public boolean isRevoked(@Nullable String code) {
        return code != null && REVOKED.contains(code.toLowerCase(Locale.ROOT));
    }

    /**
     * @param code      the failure's code
     * @param permanent the reporter's own verdict
     * @return whether the failure needs the user to reconnect
     */
    public boolean isPermanent(@Nullable String code, @Nullable Boolean permanent) {
        return Boolean.TRUE.equals(permanent) || (code != null && PERMANENT.contains(code.toLowerCase(Locale.ROOT)));
    }
}
