package io.linkguard.auth.account;

import java.time.Duration;

/** The outcome of a sign-in attempt. */
public sealed interface LoginResult {

    /** Signed in; {@code deviceToken} is the new device cookie value for this browser. */
    record Success(UserAccount user, String deviceToken) implements LoginResult {
    }

    /** Unknown account or wrong password: one answer for both. */
    record Failed() implements LoginResult {
    }

    /** Too many recent failures for this account, device or address: the password was not checked. */
    record Throttled(Duration retryAfter) implements LoginResult {
    }
}
