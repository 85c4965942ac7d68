package io.linkguard.auth.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.linkguard.auth.client.RegisteredClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 7662 for confidential clients (resource servers). A token is active when its signature,
 * issuer and expiry are good AND the revocation list names neither it, nor its family, nor its
 * subject since it was issued: the same verdict every service reaches, without waiting for a poll.
 */
@Controller("/oauth/introspect")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class IntrospectionController {

    private final ClientAuthenticator authenticator;
    private final IssuedTokenVerifier tokens;

    IntrospectionController(ClientAuthenticator authenticator, IssuedTokenVerifier tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> introspect(@Nullable @Body Map<String, String> body,
                                                 @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        // an empty body is a malformed OAuth request, answered in OAuth terms below
        Map<String, String> form = body == null ? Map.of() : body;
        RegisteredClient client = authenticator.authenticate(authorization, form);
        if (!client.confidential()) {
            throw OAuthError.INVALID_CLIENT.with("Only confidential clients may introspect.");
        }
        String token = form.get("token");
        if (token == null || token.isBlank()) {
            throw OAuthError.INVALID_REQUEST.with("token is required.");
        }
        return HttpResponse.ok(describe(token)).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private Map<String, Object> describe(String token) {
        JWTClaimsSet c = tokens.verify(token);
        if (c == null || !tokens.live(c)) {
            return Map.of("active", false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("token_type", "Bearer");
        out.put("scope", c.getClaim("scope"));
        out.put("client_id", c.getClaim("client_id"));
        out.put("sub", c.getSubject());
        out.put("aud", c.getAudience());
        out.put("iss", c.getIssuer());
        out.put("exp", c.getExpirationTime().getTime() / 1000);
        out.put("iat", c.getIssueTime() == null ? null : c.getIssueTime().getTime() / 1000);
        out.put("jti", c.getJWTID());
        if (c.getClaim("org_id") != null) {
            out.put("org_id", c.getClaim("org_id"));
        }
        if (c.getClaim("role") != null) {
            out.put("role", c.getClaim("role"));
        }
        return out;
    }
}
