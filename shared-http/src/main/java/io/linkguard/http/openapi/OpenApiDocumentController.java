package io.linkguard.http.openapi;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yml}: this service's OpenAPI document, generated from its controllers at
 * compile time (micronaut-openapi writes {@code META-INF/swagger/openapi.yml}). The gateway
 * merges the services' documents into the public {@code /openapi.json}; the documents describe
 * routes, never data, so they need no token.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(resources = "classpath:" + OpenApiDocumentController.RESOURCE)
public class OpenApiDocumentController {

    static final String RESOURCE = "META-INF/swagger/openapi.yml";

    private final byte[] document;

    OpenApiDocumentController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream("classpath:" + RESOURCE).orElseThrow()) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(MediaType.of("application/yaml"));
    }
}
