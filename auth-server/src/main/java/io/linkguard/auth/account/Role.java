package io.linkguard.auth.account;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * A member's role in their org, stored, put in tokens and shown by its lowercase value. Owners and
 * admins administer the org (with the {@code admin} scope); only owners touch owners, and an org
 * always keeps one.
 */
public enum Role {
    OWNER("owner"),
    ADMIN("admin"),
    MEMBER("member");

    private final String value;

    Role(String value) {
        this.value = value;
    }

    /** @return the stored and shown value */
    public String value() {
        return value;
    }

    /** @return whether this role administers its org (owner or admin) */
    public boolean administers() {
        return this == OWNER || this == ADMIN;
    }

    /** @return the role written as {@code value}, if it is one */
    public static Optional<Role> parse(@Nullable String value) {
        for (Role r : values()) {
            if (r.value.equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** @return whether {@code value} is this role */
    public boolean is(@Nullable String value) {
        return this.value.equals(value);
    }
}
