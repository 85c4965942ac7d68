package io.linkguard.auth.profile;

import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
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
 * AES-256-GCM for profile secrets. Keys come from {@code linkguard.profiles.secret-keys}
 * ({@code LINKGUARD_PROFILE_SECRET_KEYS}: {@code kid:base64key[,kid:base64key…]}); new secrets use
 * {@code linkguard.profiles.active-secret-key}; the key id is stored beside the ciphertext so old
 * keys keep decrypting after a rotation. The profile id is the associated data, so a ciphertext
 * copied onto another profile's row does not decrypt. Without keys, storing a secret is refused
 * (there is no built-in default key).
 */
@Singleton
public class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final String activeKeyId;

    SecretCipher(@Nullable @Value("${linkguard.profiles.secret-keys:}") String keySpec,
                 @Value("${linkguard.profiles.active-secret-key:k1}") String activeKeyId) {
        this.activeKeyId = activeKeyId;
        if (keySpec != null && !keySpec.isBlank()) {
            for (String part : keySpec.split(",")) {
                int colon = part.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalStateException("linkguard.profiles.secret-keys: expected kid:base64key");
                }
                byte[] raw;
                try {
                    raw = Base64.getDecoder().decode(part.substring(colon + 1).trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("linkguard.profiles.secret-keys: key '" + part.substring(0, colon).trim()
                            + "' is not base64");
                }
                if (raw.length != 32) {
                    throw new IllegalStateException("linkguard.profiles.secret-keys: key '" + part.substring(0, colon).trim()
                            + "' must be 32 bytes (AES-256)");
                }
                keys.put(part.substring(0, colon).trim(), new SecretKeySpec(raw, "AES"));
            }
            if (!keys.containsKey(activeKeyId)) {
                throw new IllegalStateException("linkguard.profiles.active-secret-key '" + activeKeyId + "' is not among the keys");
            }
        }
    }

    /** A sealed secret: the key id and iv‖ciphertext‖tag. */
    public record Sealed(String keyId, byte[] ciphertext) {
    }

    public Sealed encrypt(UUID profileId, String secret) {
        SecretKeySpec key = keys.get(activeKeyId);
        if (key == null) {
            throw new ProblemException(Problem.of("secret-storage-unavailable", "Secret storage unavailable", 503,
                    "This deployment has no key for storing secrets (LINKGUARD_PROFILE_SECRET_KEYS)."));
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(profileId.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String decrypt(UUID profileId, String keyId, byte[] sealed) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("no key '" + keyId + "' to decrypt a profile secret");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            c.updateAAD(profileId.toString().getBytes(StandardCharsets.US_ASCII));
            return new String(c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("profile secret does not decrypt", e);
        }
    }
}
