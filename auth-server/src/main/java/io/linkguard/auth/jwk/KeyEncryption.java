package io.linkguard.auth.jwk;

import io.linkguard.http.crypto.Aead;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encrypts the signing keys' private parts (AES-256-GCM, random 96-bit IV, the key id as
 * associated data) with the key-encryption key from configuration. No default key exists:
 * the service refuses to start without one.
 */
@Singleton
class KeyEncryption {

    private final SecretKeySpec key;

    KeyEncryption(@Value("${linkguard.auth.key-encryption-key:}") String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new ConfigurationException("LINKGUARD_KEY_ENCRYPTION_KEY (linkguard.auth.key-encryption-key) must be set: "
                    + "a base64-encoded 32-byte key, e.g. from `openssl rand -base64 32`");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("LINKGUARD_KEY_ENCRYPTION_KEY is not valid base64");
        }
        if (raw.length != 32) {
            throw new ConfigurationException("LINKGUARD_KEY_ENCRYPTION_KEY must decode to 32 bytes (AES-256)");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    byte[][] encrypt(String kid, byte[] plaintext) {
        byte[] iv = Aead.newIv();
        return new byte[][] {Aead.encrypt(key, iv, kid.getBytes(StandardCharsets.UTF_8), plaintext), iv};
    }

    byte[] decrypt(String kid, byte[] ciphertext, byte[] iv) {
        try {
            return Aead.decrypt(key, iv, kid.getBytes(StandardCharsets.UTF_8), ciphertext);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Signing key " + kid + " cannot be decrypted: wrong LINKGUARD_KEY_ENCRYPTION_KEY?", e);
        }
    }
}
