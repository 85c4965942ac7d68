package io.linkguard.auth.account;

import io.linkguard.auth.db.Sql;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Locale;

/**
 * Slows guessing: after 5 failures for an account or from an address, each further attempt
 * must wait 2^(n-5) seconds (at most 15 minutes). Counted in the database so every replica
 * sees the same numbers; a success clears the account's counter.
 */
@Singleton
public class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final long MAX_DELAY_SECONDS = 900;

    private final Sql sql;

    LoginThrottle(Sql sql) {
        this.sql = sql;
    }

    /** @return whether either key is currently locked */
    public boolean locked(String email, String address) {
        Instant until = sql.one("""
                SELECT max(locked_until) AS until FROM login_throttle WHERE key IN (?, ?) AND locked_until > now()""",
                rs -> rs.getTimestamp("until") == null ? null : rs.getTimestamp("until").toInstant(),
                accountKey(email), addressKey(address));
        return until != null;
    }

    /** Records a failure for both the account and the address. */
    public void failed(String email, String address) {
        for (String key : new String[] {accountKey(email), addressKey(address)}) {
            sql.update("""
                    INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at) VALUES (?, 1, NULL, now())
                    ON CONFLICT (key) DO UPDATE SET
                      failures = t.failures + 1,
                      locked_until = CASE WHEN t.failures + 1 > ?
                                          THEN now() + make_interval(secs => least(?, power(2, t.failures + 1 - ?)))
                                          ELSE NULL END,
                      updated_at = now()""", key, FREE_FAILURES, MAX_DELAY_SECONDS, FREE_FAILURES);
        }
    }

    /** A successful sign-in clears the account's counter (not the address's). */
    public void succeeded(String email) {
        sql.update("DELETE FROM login_throttle WHERE key = ?", accountKey(email));
    }

    private static String accountKey(String email) {
        return "account:" + email.trim().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
