package io.linkguard.auth.problem;

import io.linkguard.http.Problem;
import io.micronaut.core.annotation.Nullable;

/**
 * Every problem type auth-server answers, declared once: its slug (the anchor in docs/problems.md),
 * fixed title and status. Code names the kind of refusal ({@link Refusal}); the title and status come
 * from here. {@code AuthProblemCatalogTest} holds this list and docs/problems.md to each other.
 */
public enum AuthProblem {

    BAD_REQUEST("bad-request", "Bad Request", 400),
    FORBIDDEN("forbidden", "Forbidden", 403),
    SIGNUP_DISABLED("signup-disabled", "Forbidden", 403),
    NOT_FOUND("not-found", "Not Found", 404),
    EMAIL_TAKEN("email-taken", "Conflict", 409),
    LAST_OWNER("last-owner", "Conflict", 409),
    PENDING_AUTH_CONFLICT("pending-auth-conflict", "Pending authorization exists", 409),
    SLUG_TAKEN("slug-taken", "Conflict", 409),
    NOT_RECONNECTABLE("not-reconnectable", "Conflict", 409),
    STATUS_NOT_APPLICABLE("status-not-applicable", "Conflict", 409),
    BUSY("busy", "Service Unavailable", 503),
    SECRET_STORAGE_UNAVAILABLE("secret-storage-unavailable", "Secret storage unavailable", 503),
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", "Service unavailable", 503);

    private final String slug;
    private final String title;
    private final int status;

    AuthProblem(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** @return the type URI, {@code https://linkguard.dev/problems/<slug>} */
    public String type() {
        return Problem.TYPE_BASE + slug;
    }

    /** @return a problem of this type for one occurrence */
    public Problem problem(@Nullable String detail) {
        return Problem.of(slug, title, status, detail);
    }

    /** @return the refusal to throw for one occurrence */
    public Refusal refuse(String detail) {
        return new Refusal(this, detail);
    }
}
