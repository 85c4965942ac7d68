package io.linkguard.auth.account;

import java.time.Duration;

/** Every Argon2id slot stayed busy for the whole wait: the caller should retry shortly. */
public class PasswordHashingBusyException extends RuntimeException {

    private final Duration retryAfter;

    PasswordHashingBusyException(Duration retryAfter) {
        super("password hashing busy", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** @return when to try again */
    public Duration retryAfter() {
        return retryAfter;
    }
}
