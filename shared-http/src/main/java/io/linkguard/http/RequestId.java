package io.linkguard.http;

import io.micronaut.core.annotation.Nullable;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id that ties one user action together across services: created by the
 * gateway (or by whichever service is reached first), carried in {@link #HEADER},
 * logged under the MDC key {@link #MDC_KEY}.
 */
public final class RequestId {

    /** Header carrying the id between services and back to the caller. */
    public static final String HEADER = "X-Request-Id";
    /** MDC key under which the JSON log lines carry the id. */
    public static final String MDC_KEY = "requestId";

    // Accept only ids that are safe to log and echo: a caller must not be able to inject log lines or headers.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private RequestId() {
    }

    /**
     * @param incoming the header value sent by the caller, if any
     * @return the incoming id when it is well-formed, else a fresh random one
     */
    public static String acceptOrCreate(@Nullable String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }
}
