package io.linkguard.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting in tests, always on a condition and always with a bound: {@link #until} returns as soon
 * as the condition holds (and fails, naming it, when the bound passes first); {@link #holdsFor}
 * checks that a condition keeps holding for a while (that nothing more happens) and fails at the
 * first moment it does not.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(25);

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@code bound}. */
    public static void until(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                if (condition.getAsBoolean()) {
                    return;
                }
                throw new AssertionError("Waited " + bound.toMillis() + " ms for: " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** Checks that {@code condition} holds throughout {@code period} (e.g. "no second refresh"). */
    public static void holdsFor(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("Stopped holding within " + period.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
        } while (System.nanoTime() < end);
    }
}
