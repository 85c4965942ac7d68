package io.linkguard.client;

import java.util.Map;

/**
 * Linkguard refused a request. Built from its RFC 9457 problem+json answer: the problem's
 * {@code type} (a URI under {@value #TYPE_BASE}), {@code title} and {@code detail}, the HTTP status,
 * and any further members (e.g. {@code connector}, {@code reconnectUrl}). Answers without a problem
 * body (a proxy's error page) get type {@code about:blank}.
 *
 * <p>The subclasses are the cases a worker usually handles differently; everything else (a 400 for
 * a malformed report, a 409 of another kind…) arrives as this class.
 */
public class LinkguardException extends RuntimeException {

    /** Base of Linkguard's problem type URIs. */
    public static final String TYPE_BASE = "https://linkguard.dev/problems/";

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final transient Map<String, Object> extensions;

    /**
     * @param status     the HTTP status
     * @param type       the problem type URI, or {@code about:blank}
     * @param title      the problem's short summary
     * @param detail     what went wrong this time, or null
     * @param extensions the problem's further members (never null)
     */
    public LinkguardException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(status + " " + title + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the problem type URI, e.g. {@code https://linkguard.dev/problems/needs-reauth}, or {@code about:blank} */
    public String type() {
        return type;
    }

    /** @return the last segment of a Linkguard problem type (e.g. {@code needs-reauth}), or null for other types */
    public String slug() {
        return type != null && type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : null;
    }

    /** @return the problem's short summary */
    public String title() {
        return title;
    }

    /** @return what went wrong this time, or null */
    public String detail() {
        return detail;
    }

    /** @return the problem's members beyond type, title, status, detail and instance (null values left out) */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
