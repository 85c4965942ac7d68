package io.linkguard.mock;

import java.util.Objects;

/**
 * A fault the token endpoint injects instead of (or before) its normal answer.
 *
 * @param mode              what goes wrong
 * @param retryAfterSeconds the {@code Retry-After} value of a {@link Mode#TOO_MANY_REQUESTS}
 * @param delayMillis       the delay of a {@link Mode#SLOW} answer
 */
public record Failure(Mode mode, int retryAfterSeconds, long delayMillis) {

    /** The kinds of fault. */
    public enum Mode {
        /** 500 with an RFC 6749-shaped {@code server_error} body. */
        SERVER_ERROR("500"),
        /** 429 with {@code Retry-After}. */
        TOO_MANY_REQUESTS("429"),
        /** The normal answer, after a delay. */
        SLOW("slow"),
        /** Reads the request, then closes the connection without answering (nothing changes server-side). */
        DROP_CONNECTION("drop"),
        /** Processes the request (a refresh rotates the token) and then drops the connection: the answer is lost. */
        ROTATE_THEN_DROP("rotate-then-drop"),
        /** 403 with an HTML page and no OAuth error code, as a web application firewall answers. */
        FORBIDDEN_PAGE("403-html");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        /** The name used by the HTTP control API. */
        public String wireName() {
            return wireName;
        }

        public static Mode fromWireName(String name) {
            for (Mode m : values()) {
                if (m.wireName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown failure mode: " + name);
        }
    }

    public Failure {
        Objects.requireNonNull(mode);
        if (retryAfterSeconds < 0 || delayMillis < 0) {
            throw new IllegalArgumentException("negative retryAfterSeconds or delayMillis");
        }
    }

    public static Failure serverError() { return new Failure(Mode.SERVER_ERROR, 0, 0); }
    public static Failure tooManyRequests(int retryAfterSeconds) { return new Failure(Mode.TOO_MANY_REQUESTS, retryAfterSeconds, 0); }
    public static Failure slow(long delayMillis) { return new Failure(Mode.SLOW, 0, delayMillis); }
    public static Failure dropConnection() { return new Failure(Mode.DROP_CONNECTION, 0, 0); }
    public static Failure rotateThenDrop() { return new Failure(Mode.ROTATE_THEN_DROP, 0, 0); }
    public static Failure forbiddenPage() { return new Failure(Mode.FORBIDDEN_PAGE, 0, 0); }
}
