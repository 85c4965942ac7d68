package io.linkguard.client;

import java.util.Map;
import java.util.OptionalLong;

/**
 * 503: Linkguard or the provider behind it cannot answer right now (for a fresh token: the provider
 * is refusing refreshes and the stored token has run out). Try again later, after
 * {@link #retryAfterSeconds()} when it is given.
 */
public class UnavailableException extends LinkguardException {

    private static final long serialVersionUID = 1L;

    private final Long retryAfterSeconds;

    /**
     * @param status            the HTTP status (503)
     * @param type              the problem type URI
     * @param title             the problem's title
     * @param detail            the problem's detail
     * @param extensions        the problem's further members
     * @param retryAfterSeconds how long to wait, from the problem's {@code retryAfterSeconds} or the
     *                          {@code Retry-After} header; null when neither said
     */
    public UnavailableException(int status, String type, String title, String detail, Map<String, Object> extensions,
                                Long retryAfterSeconds) {
        super(status, type, title, detail, extensions);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return how many seconds to wait before trying again, when the answer said */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
