package io.linkguard.health.problem;

import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;

/**
 * A request connector-health refuses, thrown by services and components where a rule says no.
 * They know nothing of HTTP: {@link RefusalHandler}, at the edge, answers it as problem+json. The
 * detail is written for the caller and never carries a library's exception message.
 */
public class Refusal extends RuntimeException {

    /** What kind of no, and so which problem answers it. */
    public enum Kind {
        /** The request breaks a rule of the API (400 {@code bad-request}). */
        INVALID,
        /** Something the request names does not exist for the caller (404 {@code not-found}). */
        NOT_FOUND;

        Problem problem(String detail) {
            return (this == INVALID ? ProblemException.badRequest(detail) : ProblemException.notFound(detail)).problem();
        }
    }

    private final Kind kind;
    private final String detail;

    private Refusal(Kind kind, String detail) {
        super(kind + ": " + detail, null, false, false);
        this.kind = kind;
        this.detail = detail;
    }

    /** @param detail what is wrong, for the caller @return a refusal of an invalid request */
    public static Refusal invalid(String detail) {
        return new Refusal(Kind.INVALID, detail);
    }

    /** @param detail what is missing, for the caller @return a refusal naming something unknown */
    public static Refusal notFound(String detail) {
        return new Refusal(Kind.NOT_FOUND, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    /** @return the problem that answers it */
    public Problem problem() {
        return kind.problem(detail);
    }
}
