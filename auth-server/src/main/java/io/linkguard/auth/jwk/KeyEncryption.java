package io.linkguard.auth.jwk;

import io.linkguard.http.crypto.Aead;
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

    KeyEncryption(KeyEncryptionConfiguration config) {
        // the configuration's pattern already allows only the base64 of 32 bytes
        this.key = new SecretKeySpec(Base64.getDecoder().decode(config.keyEncryptionKey().trim()), "AES");
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
