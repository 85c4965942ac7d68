package io.linkguard.auth.account;

import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;

/**
 * Slows password guessing without letting anyone lock out someone else. Counted in the database
 * so every replica sees the same numbers.
 *
 * <ul>
 *   <li>Per account (or per known device of an account): after a few failures each further
 *       attempt must wait a doubling, capped interval (a minute by default) before the password
 *       is even checked. Never a long lockout: the owner waits a minute at worst, and from a
 *       browser that signed in before the owner is not slowed by failures others caused (the
 *       device has its own counter). A success clears the counter it was checked under.</li>
 *   <li>Per client address (the real one: see {@code ClientAddressResolver}): a high limit per
 *       window (100 per 10 minutes by default), so one guesser cannot lock out the office behind
 *       the same NAT address, but a spray across many accounts from one address stops.</li>
 * </ul>
 * Unknown accounts are counted like real ones, so the throttle reveals nothing about existence.
 */
@Singleton
public class LoginThrottle {

    private final Sql sql;
    private final LoginThrottleConfiguration settings;

    LoginThrottle(Sql sql, LoginThrottleConfiguration settings) {
        this.sql = sql;
        this.settings = settings;
    }

    /** @return how long the caller must still wait because of any of these keys, or null */
    @Nullable
    public Duration waitFor(String... keys) {
        Long millis = sql.one("""
                SELECT ceil(extract(epoch FROM max(locked_until) - now()) * 1000)::bigint AS wait
                  FROM login_throttle WHERE key = ANY(?) AND locked_until > now()""",
                rs -> rs.getObject("wait") == null ? null : rs.getLong("wait"), (Object) keys);
        return millis == null ? null : Duration.ofMillis(millis);
    }

    /**
     * A failed password for an account or device key: from {@code accountFreeFailures} on, the
     * next attempt waits {@code base * 2^(failures - free)}, at most {@code accountMaxDelay}. One
     * statement, so concurrent failures never lose a count.
     */
    public void failedAccount(String key) {
        sql.update("""
                INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at, window_started_at)
                VALUES (?, 1, CASE WHEN 1 >= ? THEN now() + make_interval(secs => ?) END, now(), now())
                ON CONFLICT (key) DO UPDATE SET
                  failures = t.failures + 1,
                  locked_until = CASE WHEN t.failures + 1 >= ?
                                      THEN now() + make_interval(secs => least(?, ? * power(2, least(t.failures + 1 - ?, 30))))
                                      END,
                  updated_at = now()""",
                key, settings.accountFreeFailures(), seconds(settings.accountBaseDelay()),
                settings.accountFreeFailures(), seconds(settings.accountMaxDelay()), seconds(settings.accountBaseDelay()),
                settings.accountFreeFailures());
    }

    /**
     * A failed password from an address: counted in a window that starts with its first failure;
     * reaching {@code addressMaxFailures} blocks the address until the window ends.
     */
    public void failedAddress(String key) {
        double window = seconds(settings.addressWindow());
        sql.update("""
                INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at, window_started_at)
                VALUES (?, 1, CASE WHEN 1 >= ? THEN now() + make_interval(secs => ?) END, now(), now())
                ON CONFLICT (key) DO UPDATE SET
                  failures = CASE WHEN t.window_started_at > now() - make_interval(secs => ?) THEN t.failures + 1 ELSE 1 END,
                  locked_until = CASE WHEN t.window_started_at > now() - make_interval(secs => ?) AND t.failures + 1 >= ?
                                      THEN t.window_started_at + make_interval(secs => ?) END,
                  window_started_at = CASE WHEN t.window_started_at > now() - make_interval(secs => ?)
                                           THEN t.window_started_at ELSE now() END,
                  updated_at = now()""",
                key, settings.addressMaxFailures(), window, window, window, settings.addressMaxFailures(), window, window);
    }

    /** A successful sign-in clears the counter it was checked under (never the address's). */
    public void succeeded(String key) {
        sql.update("DELETE FROM login_throttle WHERE key = ?", key);
    }

    static String accountKey(String email) {
        return "account:" + email.trim().toLowerCase(Locale.ROOT);
    }

    static String deviceKey(String deviceHash) {
        return "device:" + deviceHash;
    }

    static String addressKey(String address) {
        return "address:" + address;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
