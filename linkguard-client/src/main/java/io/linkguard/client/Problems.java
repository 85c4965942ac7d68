package io.linkguard.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Turns an error answer into the matching {@link LinkguardException}. */
final class Problems {

    private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance");
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Problems() {
    }

    /** The API's answer (problem+json, or anything a proxy may send instead) as an exception. */
    static LinkguardException from(HttpResponse<byte[]> response, ObjectMapper json) {
        int status = response.statusCode();
        Map<String, Object> body = object(response, json);
        String type = body.get("type") instanceof String t ? t : "about:blank";
        String title = body.get("title") instanceof String t ? t : reason(status);
        String detail = body.get("detail") instanceof String d ? d : null;
        Map<String, Object> extensions = new LinkedHashMap<>();
        body.forEach((k, v) -> {
            if (!STANDARD.contains(k) && v != null) {
                extensions.put(k, v);
            }
        });
        return switch (status) {
            case 401 -> new AuthenticationException(status, type, title, detail, extensions, null);
            case 403 -> new ForbiddenException(status, type, title, detail, extensions);
            case 404 -> new NotFoundException(status, type, title, detail, extensions);
            case 409 -> type.equals(LinkguardException.TYPE_BASE + "needs-reauth")
                    ? new NeedsReauthException(status, type, title, detail, extensions)
                    : new LinkguardException(status, type, title, detail, extensions);
            case 503 -> new UnavailableException(status, type, title, detail, extensions, retryAfter(response, body));
            default -> new LinkguardException(status, type, title, detail, extensions);
        };
    }

    /** A refusal of the token endpoint: RFC 6749 §5.2 {@code error} / {@code error_description}. */
    static LinkguardException fromTokenEndpoint(HttpResponse<byte[]> response, ObjectMapper json) {
        Map<String, Object> body = object(response, json);
        if (body.get("error") instanceof String error) {
            String description = body.get("error_description") instanceof String d ? d : null;
            return new AuthenticationException(response.statusCode(), "about:blank", error, description, Map.of(), error);
        }
        // not an OAuth error: a problem (503 while Linkguard is overloaded) or a proxy's page
        LinkguardException e = from(response, json);
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            return new AuthenticationException(e.status(), e.type(), e.title(), e.detail(), e.extensions(), null);
        }
        return e;
    }

    private static Map<String, Object> object(HttpResponse<byte[]> response, ObjectMapper json) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.contains("json") || response.body() == null || response.body().length == 0) {
            return Map.of();
        }
        try {
            Map<String, Object> m = json.readValue(response.body(), OBJECT);
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            return Map.of(); // an unreadable body still leaves the status to go by
        }
    }

    private static Long retryAfter(HttpResponse<byte[]> response, Map<String, Object> body) {
        if (body.get("retryAfterSeconds") instanceof Number n) {
            return n.longValue();
        }
        // Retry-After may also be an HTTP date; only the seconds form is read
        String header = response.headers().firstValue("Retry-After").orElse("").trim();
        if (header.matches("\\d{1,9}")) {
            return Long.parseLong(header);
        }
        return null;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
