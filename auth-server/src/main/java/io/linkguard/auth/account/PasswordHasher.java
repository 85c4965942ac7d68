package io.linkguard.auth.account;

import jakarta.inject.Singleton;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Argon2id (Bouncy Castle) with OWASP's minimum parameters: 19 MiB, 2 iterations, 1 lane.
 * Hashes are stored in the PHC string format so parameters can be raised later without
 * breaking existing hashes. At most {@code maxConcurrent} hashes run at once (a semaphore):
 * beyond that a caller waits up to {@code maxWait} and then gets
 * {@link PasswordHashingBusyException} (503), instead of every request slowing to a crawl.
 */
@Singleton
public class PasswordHasher {

    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Semaphore slots;
    private final Duration maxWait;
    /** A hash of a throwaway password: verifying against it costs the same as a real check. */
    private final String decoy;

    PasswordHasher(PasswordHashingConfiguration settings) {
        this.slots = new Semaphore(settings.permits(), true);
        this.maxWait = settings.maxWait();
        this.decoy = hash("decoy-password-for-unknown-accounts");
    }

    /** For tests: the slots themselves. */
    Semaphore slots() {
        return slots;
    }

    /** @return the PHC-formatted Argon2id hash */
    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** @return whether the password matches; constant-time comparison */
    public boolean verify(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=");
            switch (pair[0]) {
                case "m" -> m = Integer.parseInt(pair[1]);
                case "t" -> t = Integer.parseInt(pair[1]);
                case "p" -> p = Integer.parseInt(pair[1]);
                default -> {
                    return false;
                }
            }
        }
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, B64D.decode(parts[4]), m, t, p);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same time as a real verification, so response time does not reveal unknown accounts. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    private byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PasswordHashingBusyException(maxWait);
        }
        if (!acquired) {
            throw new PasswordHashingBusyException(maxWait);
        }
        try {
            return argon2(password, salt, memoryKib, iterations, parallelism);
        } finally {
            slots.release();
        }
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
