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
 * @param registrationToken      RFC 7591 initial access token for registering OAuth clients
 */
public record Secrets(String internalClientSecret, String keyEncryptionKey, String tokenKeyId, String tokenKey,
                      String mockClientSecret, String registrationToken) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return fresh random secrets */
    public static Secrets random() {
        return new Secrets(randomSecret(), randomKey(), "k1", randomKey(), randomSecret(), randomSecret());
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
        }
        Secrets fresh = random();
        // a secret missing from the file (a first start, or one added in a later version) is
        // generated and saved; the ones already there are kept
        int before = p.size();
        Secrets s = new Secrets(keep(p, "internalClientSecret", fresh.internalClientSecret()),
                keep(p, "keyEncryptionKey", fresh.keyEncryptionKey()), keep(p, "tokenKeyId", fresh.tokenKeyId()),
                keep(p, "tokenKey", fresh.tokenKey()), keep(p, "mockClientSecret", fresh.mockClientSecret()),
                keep(p, "registrationToken", fresh.registrationToken()));
        if (p.size() == before) {
            return s;
        }
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

    private static String keep(Properties p, String name, String generated) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            p.setProperty(name, generated);
            return generated;
        }
        return v;
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
