package io.linkguard.auth.profile;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;

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

    /** Reads and writes the column as the value; a value no constant has is a broken row, not a null. */
    abstract class Column<E extends Enum<E> & StoredValue> implements AttributeConverter<E, String> {

        private final Class<E> type;

        Column(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToPersistedValue(@Nullable E e, ConversionContext context) {
            return e == null ? null : e.value();
        }

        @Override
        public E convertToEntityValue(@Nullable String value, ConversionContext context) {
            if (value == null) {
                return null;
            }
            E e = parse(type, value);
            if (e == null) {
                throw new IllegalStateException("unknown " + type.getSimpleName() + " in auth_profiles: " + value);
            }
            return e;
        }
    }
}
