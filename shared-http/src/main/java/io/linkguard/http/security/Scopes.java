package io.linkguard.http.security;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Collections;
import java.util.Set;

/**
 * Linkguard's scopes and the one parser of a {@code scope} claim (RFC 6749 §3.3: space-delimited,
 * order-insensitive). What each scope allows is written once, in {@link AccessPolicy}.
 */
public final class Scopes {

    /** Read one's own connector status. */
    public static final String CONNECTORS_READ = "connectors:read";
    /** Create, list and delete one's own auth profiles; start connect flows. */
    public static final String PROFILES_WRITE = "profiles:write";
    /** Pause and resume one's own automation. */
    public static final String AUTOMATION_WRITE = "automation:write";
    /** A worker reports poll outcomes for users of its org. */
    public static final String HEALTH_REPORT = "health:report";
    /** A worker fetches fresh provider tokens for connections of its org. */
    public static final String TOKENS_READ = "tokens:read";
    /** Org-wide powers, together with an owner/admin role. */
    public static final String ADMIN = "admin";
    /** Delete one's own account, change one's password: first-party clients only. */
    public static final String ACCOUNT_WRITE = "account:write";
    /** Linkguard's own services calling each other. */
    public static final String INTERNAL = "internal";

    /** Every scope a user or worker token can carry (everything but {@link #INTERNAL}). */
    public static final Set<String> PUBLIC_SCOPES = Set.of(CONNECTORS_READ, PROFILES_WRITE, AUTOMATION_WRITE,
            HEALTH_REPORT, TOKENS_READ, ADMIN, ACCOUNT_WRITE);

    private Scopes() {
    }

    /**
     * @param claim a {@code scope} claim: a space-delimited string, or a JSON array
     * @return its scopes, in order, without duplicates
     */
    public static Set<String> parse(@Nullable Object claim) {
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        if (claim instanceof Collection<?> c) {
            c.forEach(v -> scopes.add(String.valueOf(v)));
        } else if (claim != null) {
            scopes.addAll(Arrays.asList(claim.toString().trim().split("\\s+")));
        }
        scopes.removeIf(String::isBlank);
        return Collections.unmodifiableSet(scopes);
    }
}
