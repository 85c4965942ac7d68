package io.linkguard.auth.jwk;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The key that encrypts the signing keys' private parts ({@code linkguard.auth.key-encryption-key}).
 * There is no default: the service does not start without one.
 *
 * @param keyEncryptionKey a base64-encoded 32-byte AES key ({@code LINKGUARD_KEY_ENCRYPTION_KEY},
 *                         e.g. from {@code openssl rand -base64 32})
 */
@Context
@ConfigurationProperties("linkguard.auth")
public record KeyEncryptionConfiguration(
        @NotBlank(message = "must be set: LINKGUARD_KEY_ENCRYPTION_KEY, a base64-encoded 32-byte key, e.g. from `openssl rand -base64 32`")
        @Pattern(regexp = "\\s*[A-Za-z0-9+/]{43}=?\\s*",
                message = "must be a base64-encoded 32-byte key (AES-256): check LINKGUARD_KEY_ENCRYPTION_KEY, e.g. from `openssl rand -base64 32`")
        String keyEncryptionKey) {
}
