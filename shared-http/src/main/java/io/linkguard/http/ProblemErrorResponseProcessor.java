package io.linkguard.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * Turns every error the framework produces itself (no route, unreadable JSON,
 * failed conversion or validation, unhandled exceptions, security rejections) into
 * RFC 9457 problem+json, so clients meet one error shape.
 *
 * <p>Why the detail is filtered: framework messages for 4xx are useful ("Required
 * argument [userId] not specified"), but messages of unhandled exceptions can carry
 * SQL, constraint names or class names. A 5xx therefore always gets a fixed detail
 * (the cause is logged with the request id), and a 4xx message that looks like it
 * leaks internals is replaced by the status' generic text.</p>
 */
@Primary
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);
    private static final Pattern LEAKY = Pattern.compile(
            "(?i)(sql|duplicate key|constraint|exception|jdbc|postgres|\\bat [a-z]+\\.|\\$|[a-z]+\\.[a-z]+\\.[A-Z])");
    private static final int MAX_DETAIL = 300;

    @Override
    @NonNull
    public MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext errorContext,
                                                        @NonNull MutableHttpResponse<?> response) {
        int status = response.code();
        String path = errorContext.getRequest().getPath();
        if (status >= 500) {
            errorContext.getRootCause().ifPresent(cause ->
                    LOG.error("Unhandled error on {} {}", errorContext.getRequest().getMethod(), LoggedPath.of(path), cause));
        }
        Problem problem = new Problem(Problem.TYPE_BASE + slug(status), title(response), status,
                detail(errorContext, status), path, null);
        if (errorContext.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        return response.contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem);
    }

    private static String title(MutableHttpResponse<?> response) {
        String reason = response.reason();
        return reason == null || reason.isBlank() ? "Error" : reason;
    }

    private static String expected(Class<?> type) {
        if (type == java.util.UUID.class) {
            return "must be a UUID";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "must be a number";
        }
        if (type == java.time.Instant.class) {
            return "must be an RFC 3339 timestamp";
        }
        return "has the wrong format";
    }

    static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "too-many-requests";
            case 503 -> "service-unavailable";
            default -> status >= 500 ? "internal-error" : "http-" + status;
        };
    }

    static String detail(ErrorContext errorContext, int status) {
        String generic = switch (status) {
            case 400 -> "The request could not be read.";
            case 401 -> "A valid bearer token is required.";
            case 403 -> "The token does not allow this request.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 415 -> "This content type is not supported here.";
            default -> status >= 500 ? "Something went wrong on our side; it has been logged." : null;
        };
        if (status >= 500 || status == 401 || status == 403 || status == 404) {
            return generic;
        }
        // The two 400s every client meets get our own words, never the library's message
        // (which quotes the input, the target type and the parser's internals).
        Throwable cause = errorContext.getRootCause().orElse(null);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConversionErrorException conversion) {
                return conversion.getArgument().getName() + ": " + expected(conversion.getArgument().getType());
            }
            if (t.getClass().getName().contains("Json") || String.valueOf(t.getMessage()).startsWith("Invalid JSON")) {
                return "The request body is not valid JSON, or a field has the wrong type.";
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Error error : errorContext.getErrors()) {
            String msg = error.getMessage();
            if (msg == null || msg.isBlank()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(error.getPath().map(p -> p + ": ").orElse("")).append(msg);
        }
        String text = sb.toString();
        if (text.isEmpty() || LEAKY.matcher(text).find() || text.contains("Failed to convert") || text.startsWith("Invalid JSON")) {
            return generic;
        }
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
    }
}
