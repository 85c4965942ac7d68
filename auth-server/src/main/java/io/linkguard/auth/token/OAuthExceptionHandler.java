package io.linkguard.auth.token;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 6749 §5.2 error bodies, with {@code Cache-Control: no-store}; {@code invalid_client} is
 * 401 with a {@code WWW-Authenticate} challenge (§5.2).
 */
@Singleton
@Produces(MediaType.APPLICATION_JSON)
class OAuthExceptionHandler implements ExceptionHandler<OAuthException, HttpResponse<Map<String, String>>> {

    @Override
    public HttpResponse<Map<String, String>> handle(HttpRequest request, OAuthException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error().code());
        body.put("error_description", e.description());
        MutableHttpResponse<Map<String, String>> r = HttpResponse.<Map<String, String>>status(HttpStatus.valueOf(e.error().status()))
                .body(body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache");
        if (e.error() == OAuthError.INVALID_CLIENT) {
            r.header("WWW-Authenticate", "Basic realm=\"linkguard\", error=\"invalid_client\"");
        }
        return r;
    }
}
