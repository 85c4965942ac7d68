package io.linkguard.auth.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request auth-server refuses, by its kind in {@link AuthProblem}. Services and components throw
 * it where a rule says no; {@link RefusalHandler}, at the HTTP edge, turns it into problem+json. The
 * detail is written for the caller and never carries a library's exception message.
 */
public class Refusal extends RuntimeException {

    private final transient AuthProblem kind;
    private final String detail;
    private final transient Map<String, Object> extensions;

    public Refusal(AuthProblem kind, String detail) {
        this(kind, detail, Map.of());
    }

    private Refusal(AuthProblem kind, String detail, Map<String, Object> extensions) {
        super(kind.slug() + ": " + detail, null, false, false);
        this.kind = kind;
        this.detail = detail;
        this.extensions = extensions;
    }

    /** @return a copy with one more member in the answer (e.g. {@code existing}) */
    public Refusal with(String name, Object value) {
        Map<String, Object> ext = new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new Refusal(kind, detail, ext);
    }

    public AuthProblem kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
