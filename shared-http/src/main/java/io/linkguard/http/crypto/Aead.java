package io.linkguard.http.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM, the one way Linkguard seals a secret at rest: a random 96-bit IV, a 128-bit tag, and
 * associated data that names what the secret belongs to (a profile id, a key id), so a ciphertext
 * copied onto another row does not open. {@link #seal}/{@link #open} keep the IV in front of the
 * ciphertext ({@code iv ‖ ciphertext ‖ tag}); {@link #encrypt}/{@link #decrypt} leave it to the caller.
 */
public final class Aead {

    static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    /** @return {@code iv ‖ ciphertext ‖ tag} */
    public static byte[] seal(SecretKeySpec key, byte[] associatedData, byte[] plaintext) {
        byte[] iv = newIv();
        byte[] ct = encrypt(key, iv, associatedData, plaintext);
        return ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
    }

    /**
     * @throws IllegalStateException when the bytes do not open with this key and associated data
     */
    public static byte[] open(SecretKeySpec key, byte[] associatedData, byte[] sealed) {
        if (sealed.length <= IV_BYTES) {
            throw new IllegalStateException("sealed value too short");
        }
        return run(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES), associatedData,
                sealed, IV_BYTES, sealed.length - IV_BYTES);
    }

    /** @return a fresh random IV for {@link #encrypt} */
    public static byte[] newIv() {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /** @return ciphertext ‖ tag, for a caller that stores the IV apart */
    public static byte[] encrypt(SecretKeySpec key, byte[] iv, byte[] associatedData, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv), associatedData, plaintext, 0, plaintext.length);
    }

    /** @throws IllegalStateException when the bytes do not open */
    public static byte[] decrypt(SecretKeySpec key, byte[] iv, byte[] associatedData, byte[] ciphertext) {
        return run(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv), associatedData, ciphertext, 0, ciphertext.length);
    }

    private static byte[] run(int mode, SecretKeySpec key, GCMParameterSpec spec, byte[] aad, byte[] in, int offset, int length) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, spec);
            c.updateAAD(aad);
            return c.doFinal(in, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mode == Cipher.ENCRYPT_MODE ? "AES-GCM unavailable" : "does not decrypt", e);
        }
    }
}
