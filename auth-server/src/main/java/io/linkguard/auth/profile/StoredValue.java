package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;

/**
 * An enum of {@code auth_profiles} held by its value (e.g. {@code needs_reauth}), in the database
 * and in the API, rather than by its Java name.
 */
interface StoredValue {

    /** @return the stored and shown value */
    String value();

    /** @return the constant with this value, or null for anything else */
    @Nullable
    static <E extends Enum<E> & StoredValue> E parse(Class<E> type, @Nullable String value) {
        for (E e : type.getEnumConstants()) {
            if (e.value().equals(value)) {
                return e;
            }
        }
        return null;
    }

    /** @return the constant a column holds; a value no constant has is a broken row, not a null */
    static <E extends Enum<E> & StoredValue> E read(Class<E> type, String value) {
        E e = parse(type, value);
        if (e == null) {
            throw new IllegalStateException("unknown " + type.getSimpleName() + " in auth_profiles: " + value);
        }
        return e;
    }
}
