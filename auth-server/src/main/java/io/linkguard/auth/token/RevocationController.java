package io.linkguard.auth.token;

import com.nimbusds.jwt.SignedJWT;
import io.linkguard.auth.account.Hashes;
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

import java.text.ParseException;
import java.util.Map;
import java.util.UUID;

/**
 * RFC 7009. Revoking a refresh token revokes its whole family (and so its access tokens at
 * introspection); revoking an access token marks that token. Unknown or foreign tokens answer
 * 200 too, so the endpoint reveals nothing.
 */
@Controller("/oauth/revoke")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class RevocationController {

    private final ClientAuthenticator authenticator;
    private final TokenStore store;

    RevocationController(ClientAuthenticator authenticator, TokenStore store) {
        this.authenticator = authenticator;
        this.store = store;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<Void> revoke(@Nullable @Body Map<String, String> body, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        // an empty body is a malformed OAuth request, answered in OAuth terms below
        Map<String, String> form = body == null ? Map.of() : body;
        RegisteredClient client = authenticator.authenticate(authorization, form);
        String token = form.get("token");
        if (token == null || token.isBlank()) {
            throw OAuthError.INVALID_REQUEST.with("token is required.");
        }
        String hint = form.get("token_type_hint");
        if (hint != null && !hint.equals("refresh_token") && !hint.equals("access_token")) {
            throw OAuthError.UNSUPPORTED_TOKEN_TYPE.with("token_type_hint must be refresh_token or access_token.");
        }
        TokenStore.SeenRefreshToken refresh = store.inspectRefreshToken(Hashes.sha256(token));
        if (refresh != null) {
            if (client.clientId().equals(refresh.clientId())) {
                store.revokeFamily(refresh.familyId());
            }
        } else {
            UUID jti = jti(token);
            if (jti != null) {
                store.revokeAccessToken(jti, client.clientId());
            }
        }
        return HttpResponse.<Void>ok().header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    @Nullable
    static UUID jti(String token) {
        try {
            String id = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
            return id == null ? null : UUID.fromString(id);
        } catch (ParseException | IllegalArgumentException e) {
            return null;
        }
    }
}
