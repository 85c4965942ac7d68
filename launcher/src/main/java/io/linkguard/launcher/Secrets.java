package io.linkguard.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The deployment secrets of a local system, generated once per data directory and kept
 * there (mode 600), so a restart can still decrypt what it stored. Never committed.
 *
 * @param internalClientSecret   secret of the internal service clients
 * @param keyEncryptionKey       base64 AES-256 key that encrypts the signing keys
 * @param tokenKeyId             id of the key that encrypts provider tokens
 * @param tokenKey               base64 AES-256 key that encrypts provider tokens
 * @param mockClientSecret       the mock provider's client secret
 */
public record Secrets(String internalClientSecret, String keyEncryptionKey, String tokenKeyId, String tokenKey,
                      String mockClientSecret) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return fresh random secrets */
    public static Secrets random() {
        return new Secrets(randomSecret(), randomKey(), "k1", randomKey(), randomSecret());
    }

    /**
     * Loads the secrets kept in {@code file}, creating them on first use.
     *
     * @param file the properties file
     * @return the secrets
     * @throws IOException when the file cannot be read or written
     */
    public static Secrets loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            return new Secrets(p.getProperty("internalClientSecret"), p.getProperty("keyEncryptionKey"),
                    p.getProperty("tokenKeyId"), p.getProperty("tokenKey"), p.getProperty("mockClientSecret"));
        }
        Secrets s = random();
        p.setProperty("internalClientSecret", s.internalClientSecret());
        p.setProperty("keyEncryptionKey", s.keyEncryptionKey());
        p.setProperty("tokenKeyId", s.tokenKeyId());
        p.setProperty("tokenKey", s.tokenKey());
        p.setProperty("mockClientSecret", s.mockClientSecret());
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Linkguard local secrets - generated, keep private");
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return s;
    }

    /** URL-safe: secrets travel in HTTP Basic and form bodies. */
    private static String randomSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
