package io.linkguard.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details object. {@code type} is an absolute URI under
 * {@link #TYPE_BASE}; extension members (e.g. {@code existing}, {@code reconnectUrl})
 * are serialised at the top level next to the standard members.
 *
 * @param type       problem type URI
 * @param title      short, fixed summary of the problem type
 * @param status     the HTTP status code
 * @param detail     human readable explanation of this occurrence; never an exception message from a library
 * @param instance   optional URI of this occurrence (the request path)
 * @param extensions extension members
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type,
                      String title,
                      int status,
                      @Nullable String detail,
                      @Nullable String instance,
                      @JsonAnyGetter @Nullable Map<String, Object> extensions) {

    /** Base of every Linkguard problem type URI. */
    public static final String TYPE_BASE = "https://linkguard.dev/problems/";

    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * A problem of type {@code TYPE_BASE + slug}.
     *
     * @param slug   the type's last path segment, e.g. {@code pending-auth-conflict}
     * @param title  fixed title
     * @param status HTTP status
     * @param detail occurrence detail
     * @return the problem without extensions
     */
    public static Problem of(String slug, String title, int status, @Nullable String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
    }

    /**
     * A copy with one more extension member.
     *
     * @param name  member name
     * @param value member value
     * @return the new problem
     */
    public Problem with(String name, Object value) {
        Map<String, Object> ext = extensions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new Problem(type, title, status, detail, instance, ext);
    }

    /**
     * A copy carrying the request path as {@code instance}.
     *
     * @param path the request path
     * @return the new problem
     */
    public Problem at(@Nullable String path) {
        return new Problem(type, title, status, detail, path, extensions);
    }
}
