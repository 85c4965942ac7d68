package io.linkguard.http;

/**
 * Thrown by application code to answer with a given {@link Problem}. The problem's
 * texts are chosen by the thrower and must never embed a library's exception message.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    /**
     * @param problem what the client will see
     */
    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    /** @return the problem to answer with */
    public Problem problem() {
        return problem;
    }

    /** @param detail occurrence detail @return a 400 {@code bad-request} problem */
    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of("bad-request", "Bad Request", 400, detail));
    }

    /** @param detail occurrence detail @return a 403 {@code forbidden} problem */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of("forbidden", "Forbidden", 403, detail));
    }

    /** @param detail occurrence detail @return a 404 {@code not-found} problem */
    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of("not-found", "Not Found", 404, detail));
    }

    /** @param slug type slug @param detail occurrence detail @return a 409 problem */
    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(slug, "Conflict", 409, detail));
    }
}
