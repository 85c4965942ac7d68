package io.linkguard.refresher.credential;

import io.linkguard.http.crypto.Aead;
import io.linkguard.http.crypto.KeyRing;
import io.linkguard.refresher.config.RefresherSettings;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/**
 * AES-256-GCM for provider tokens. The key ring comes from configuration
 * ({@code LINKGUARD_TOKEN_KEYS=id:base64[,id:base64…]}, {@code LINKGUARD_TOKEN_ACTIVE_KEY}); new
 * ciphertexts use the active key, old rows keep decrypting with the key id stored beside them.
 * The auth profile id is the associated data, so a ciphertext copied onto another row fails.
 */
@Singleton
public class TokenCipher {

    private final KeyRing keys;

    TokenCipher(RefresherSettings settings) {
        this.keys = KeyRing.parse(settings.keys() == null ? "" : settings.keys(), settings.activeKey(), "LINKGUARD_TOKEN_KEYS", "LINKGUARD_TOKEN_ACTIVE_KEY");
        if (keys.isEmpty()) {
            throw new ConfigurationException("LINKGUARD_TOKEN_KEYS must be set (id:base64key with a 32-byte key): "
                    + "provider tokens are stored encrypted and there is no built-in key");
        }
    }

    /** @return every configured key id (the active one and those kept to read older rows) */
    public Set<String> keyIds() {
        return keys.keyIds();
    }

    /** @return the key id new ciphertexts use */
    public String activeKeyId() {
        return keys.activeKeyId();
    }

    /** @return iv || ciphertext || tag */
    public byte[] encrypt(UUID profileId, String plaintext) {
        return Aead.seal(keys.active().orElseThrow(), aad(profileId), plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalStateException when the key is gone or the bytes are damaged */
    public String decrypt(UUID profileId, String keyId, byte[] sealed) {
        var key = keys.key(keyId).orElseThrow(() -> new IllegalStateException(
                "Key '" + keyId + "' is no longer configured; cannot decrypt credential " + profileId));
        try {
            return new String(Aead.open(key, aad(profileId), sealed), StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Decrypting credential " + profileId + " failed", e);
        }
    }

    private static byte[] aad(UUID profileId) {
        return profileId.toString().getBytes(StandardCharsets.UTF_8);
    }
}
