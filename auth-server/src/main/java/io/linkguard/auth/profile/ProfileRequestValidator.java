package io.linkguard.auth.profile;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.auth.provider.ProviderCatalog;
import io.linkguard.auth.provider.ProviderDefinition;
import io.linkguard.http.security.Caller;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a create request against the catalog and the caller's role, and fills in the defaults
 * (kind, provider, display name, scopes). Refuses with the field named first.
 */
@Singleton
class ProfileRequestValidator {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final ProviderCatalog catalog;

    ProfileRequestValidator(ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    NewProfile validate(Caller caller, CreateAuthProfileRequest r) {
        if (r.connectorKey() == null || !KEY.matcher(r.connectorKey()).matches()) {
            throw AuthProblem.BAD_REQUEST.refuse("connectorKey is required: lower-case letters, digits, '-' or '_'.");
        }
        ProfileKind kind = r.profileKind() == null ? ProfileKind.OAUTH_ACCOUNT : StoredValue.parse(ProfileKind.class, r.profileKind());
        if (kind == null) {
            throw AuthProblem.BAD_REQUEST.refuse("profileKind must be oauth_account, oauth_app or api_key.");
        }
        String providerKey = r.providerKey() == null ? r.connectorKey() : r.providerKey();
        ProviderDefinition provider = catalog.find(providerKey).orElse(null);
        if (provider == null && kind != ProfileKind.API_KEY) {
            throw AuthProblem.BAD_REQUEST.refuse("Unknown provider '" + sanitize(providerKey) + "'.");
        }
        if (r.slug() != null && !SLUG.matcher(r.slug()).matches()) {
            throw AuthProblem.BAD_REQUEST.refuse("slug must be 1-63 lower-case letters, digits or '-'.");
        }
        String displayName = r.displayName() == null || r.displayName().isBlank()
                ? (provider == null ? r.connectorKey() : provider.name()) : r.displayName().trim();
        if (displayName.length() > 200) {
            throw AuthProblem.BAD_REQUEST.refuse("displayName is longer than 200 characters.");
        }
        List<String> scopes = r.scopes() == null ? (provider == null ? List.of() : provider.defaultScopes())
                : List.copyOf(new LinkedHashSet<>(r.scopes()));
        for (String s : scopes) {
            if (s == null || s.isBlank() || s.chars().anyMatch(Character::isWhitespace) || s.length() > 200) {
                throw AuthProblem.BAD_REQUEST.refuse("scopes must be non-empty strings without spaces.");
            }
        }
        boolean shared = Boolean.TRUE.equals(r.shared());
        if (kind == ProfileKind.OAUTH_APP) {
            if (!caller.isOrgAdmin()) {
                throw AuthProblem.FORBIDDEN.refuse("Only org owners and admins register OAuth apps.");
            }
            if (blank(r.clientId()) || blank(r.clientSecret())) {
                throw AuthProblem.BAD_REQUEST.refuse("An oauth_app profile needs clientId and clientSecret.");
            }
            shared = true;
        }
        if (kind == ProfileKind.API_KEY && blank(r.apiKey())) {
            throw AuthProblem.BAD_REQUEST.refuse("An api_key profile needs apiKey.");
        }
        if (shared && !caller.isOrgAdmin()) {
            throw AuthProblem.FORBIDDEN.refuse("Only org owners and admins create shared profiles.");
        }
        return new NewProfile(r.connectorKey(), provider, kind, displayName, r.slug(), scopes, shared,
                connectionParams(provider, kind, r.connectionParams()));
    }

    /**
     * The per-tenant values of an oauth_account profile: exactly the parameters the provider
     * declares, each a host-name label (so a value picks a tenant and can never point elsewhere).
     */
    private static Map<String, String> connectionParams(@Nullable ProviderDefinition provider, ProfileKind kind,
                                                        @Nullable Map<String, String> given) {
        Map<String, String> values = given == null ? Map.of() : given;
        if (provider == null || kind != ProfileKind.OAUTH_ACCOUNT || !provider.perTenant()) {
            if (!values.isEmpty()) {
                throw AuthProblem.BAD_REQUEST.refuse("connectionParams are only for providers that declare them"
                        + (provider == null ? "." : "; " + provider.name() + " declares none."));
            }
            return Map.of();
        }
        for (String name : values.keySet()) {
            if (!provider.connectionParams().containsKey(name)) {
                throw AuthProblem.BAD_REQUEST.refuse("connectionParams has '" + sanitize(name) + "', which "
                        + provider.name() + " does not use; it needs " + provider.connectionParams().keySet() + ".");
            }
        }
        for (Map.Entry<String, String> p : provider.connectionParams().entrySet()) {
            String v = values.get(p.getKey());
            if (v == null || v.isBlank()) {
                throw AuthProblem.BAD_REQUEST.refuse(provider.name() + " needs connectionParams." + p.getKey()
                        + " (" + p.getValue() + ").");
            }
            if (!ProviderDefinition.validParamValue(v)) {
                throw AuthProblem.BAD_REQUEST.refuse("connectionParams." + p.getKey()
                        + " may hold only letters, digits, '-' and single dots, up to 100 characters.");
            }
        }
        return Map.copyOf(values);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Echo only harmless characters of user input in a problem detail. */
    private static String sanitize(String s) {
        String clean = s == null ? "" : s.replaceAll("[^A-Za-z0-9_-]", "");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }
}
