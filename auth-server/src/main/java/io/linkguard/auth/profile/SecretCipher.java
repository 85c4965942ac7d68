package io.linkguard.auth.profile;

import io.linkguard.auth.problem.AuthProblem;
import jakarta.inject.Singleton;
import io.linkguard.http.crypto.Aead;
import io.linkguard.http.crypto.KeyRing;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
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

    private final KeyRing keys;

    SecretCipher(ProfileSecretsConfiguration config) {
        this.keys = KeyRing.parse(config.secretKeys(), config.activeSecretKey(), "LINKGUARD_PROFILE_SECRET_KEYS",
                "LINKGUARD_PROFILES_ACTIVE_SECRET_KEY");
    }

    /** A sealed secret: the key id and iv‖ciphertext‖tag. */
    public record Sealed(String keyId, byte[] ciphertext) {
    }

    public Sealed encrypt(UUID profileId, String secret) {
        SecretKeySpec key = keys.active().orElseThrow(() -> AuthProblem.SECRET_STORAGE_UNAVAILABLE.refuse(
                "This deployment has no key for storing secrets (LINKGUARD_PROFILE_SECRET_KEYS)."));
        return new Sealed(keys.activeKeyId(), Aead.seal(key, aad(profileId), secret.getBytes(StandardCharsets.UTF_8)));
    }

    public String decrypt(UUID profileId, String keyId, byte[] sealed) {
        SecretKeySpec key = keys.key(keyId).orElseThrow(() -> new IllegalStateException(
                "no key '" + keyId + "' to decrypt a profile secret"));
        try {
            return new String(Aead.open(key, aad(profileId), sealed), StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("profile secret does not decrypt", e);
        }
    }

    private static byte[] aad(UUID profileId) {
        return profileId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
