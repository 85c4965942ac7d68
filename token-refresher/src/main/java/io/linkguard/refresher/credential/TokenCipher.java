package io.linkguard.refresher.credential;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * AES-256-GCM for provider tokens. The key ring comes from configuration
 * ({@code LINKGUARD_TOKEN_KEYS=id:base64[,id:base64…]}, {@code LINKGUARD_TOKEN_ACTIVE_KEY}); new
 * ciphertexts use the active key, old rows keep decrypting with the key id stored beside them.
 * The auth profile id is the associated data, so a ciphertext copied onto another row fails.
 */
@Singleton
public class TokenCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final String activeKey;

    TokenCipher(@Value("${linkguard.refresher.keys:}") String ring, @Value("${linkguard.refresher.active-key:k1}") String activeKey) {
        if (ring == null || ring.isBlank()) {
            throw new ConfigurationException("LINKGUARD_TOKEN_KEYS must be set (id:base64key with a 32-byte key): "
                    + "provider tokens are stored encrypted and there is no built-in key");
        }
        for (String part : ring.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new ConfigurationException("LINKGUARD_TOKEN_KEYS: expected id:base64key");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(part.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("LINKGUARD_TOKEN_KEYS: key '" + part.substring(0, colon).trim() + "' is not base64");
            }
            if (raw.length != 32) {
                throw new ConfigurationException("LINKGUARD_TOKEN_KEYS: key '" + part.substring(0, colon).trim() + "' must be 32 bytes");
            }
            keys.put(part.substring(0, colon).trim(), new SecretKeySpec(raw, "AES"));
        }
        if (!keys.containsKey(activeKey)) {
            throw new ConfigurationException("LINKGUARD_TOKEN_ACTIVE_KEY '" + activeKey + "' is not in LINKGUARD_TOKEN_KEYS");
        }
        this.activeKey = activeKey;
    }

    /** @return the key id new ciphertexts use */
    /** @return every configured key id (the active one and those kept to read older rows) */
    public java.util.Set<String> keyIds() {
        return java.util.Set.copyOf(keys.keySet());
    }

    public String activeKeyId() {
        return activeKey;
    }

    /** @return iv || ciphertext || tag */
    public byte[] encrypt(UUID profileId, String plaintext) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(128, iv));
            c.updateAAD(profileId.toString().getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encrypting a token failed", e);
        }
    }

    public String decrypt(UUID profileId, String keyId, byte[] sealed) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("Key '" + keyId + "' is no longer configured; cannot decrypt credential " + profileId);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(profileId.toString().getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decrypting credential " + profileId + " failed", e);
        }
    }
}
