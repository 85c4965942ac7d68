package io.linkguard.health.status;

import io.linkguard.http.config.PublicUrl;
import io.linkguard.health.report.HealthRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The endpoint every open dashboard polls. The body is hashed into a strong ETag, so an
 * unchanged state answers 304 with no body; {@code no-cache} makes browsers revalidate on
 * every poll (the point is to show a break at once) while keeping the poll cheap.
 */
@Controller("/api/connectors")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class StatusController {

    static final String CACHE_CONTROL = "private, no-cache";

    private final HealthRepository repository;
    private final JsonMapper json;
    private final PublicUrl publicUrl;

    StatusController(HealthRepository repository, JsonMapper json, PublicUrl publicUrl) {
        this.repository = repository;
        this.json = json;
        this.publicUrl = publicUrl;
    }

    @Get("/{userId}/status")
    HttpResponse<?> status(@PathVariable UUID userId, @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        // Who may read it is decided by the shared AccessPolicy filter before this runs.
        Map<String, ConnectorStatus.Connector> connectors = new LinkedHashMap<>();
        boolean anyNeedsReauth = false;
        for (HealthRepository.Row row : repository.findByUser(userId)) {
            // revoked needs a reconnect as much as needs_reauth: both show the banner and its link
            boolean broken = row.status().needsReconnect();
            anyNeedsReauth |= broken;
            connectors.put(row.connector(), new ConnectorStatus.Connector(row.status(), row.errorCode(),
                    row.lastSuccessAt(), row.lastFailureAt(), broken ? publicUrl.reconnectUrl(row.connector()) : null));
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(new ConnectorStatus(userId, connectors, anyNeedsReauth));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String etag = etag(body);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return HttpResponse.notModified().header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9110 §13.1.2: a list of tags or "*"; weak comparison is allowed for If-None-Match. */
    static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
