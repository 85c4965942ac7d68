package io.linkguard.auth.client;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * An OAuth client (RFC 6749 §2).
 *
 * @param clientId     client id
 * @param secretHash   SHA-256 of the secret for confidential clients, null for public ones
 * @param kind         first_party | third_party | service_account | internal
 * @param name         display name
 * @param orgId        the owning org of a service account
 * @param redirectUris exact redirect URIs
 * @param grantTypes   allowed grants
 * @param scopes       scopes the client may ask for
 */
public record RegisteredClient(String clientId, @Nullable String secretHash, String kind, String name,
                               @Nullable UUID orgId, List<String> redirectUris, List<String> grantTypes,
                               List<String> scopes) {

    /** @return whether the client authenticates with a secret */
    public boolean confidential() {
        return secretHash != null;
    }

    /** @return whether users must consent before this client gets a code */
    public boolean needsConsent() {
        return "third_party".equals(kind);
    }
}
