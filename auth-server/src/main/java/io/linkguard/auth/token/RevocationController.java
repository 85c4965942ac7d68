package io.linkguard.auth.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.linkguard.auth.account.Hashes;
import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.revocation.RevocationLog;
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

import java.util.Map;
import java.util.UUID;

/**
 * RFC 7009. Revoking a refresh token revokes its whole family (and so its access tokens, at every
 * service and at introspection); revoking an access token puts its jti on the revocation list.
 * Unknown or foreign tokens answer 200 too, so the endpoint reveals nothing.
 */
@Controller("/oauth/revoke")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class RevocationController {

    private final ClientAuthenticator authenticator;
    private final TokenStore store;
    private final IssuedTokenVerifier tokens;
    private final RevocationLog revocations;

    RevocationController(ClientAuthenticator authenticator, TokenStore store, IssuedTokenVerifier tokens,
                         RevocationLog revocations) {
        this.authenticator = authenticator;
        this.store = store;
        this.tokens = tokens;
        this.revocations = revocations;
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
            // only a genuine token of this client: a forged or foreign jti revokes nothing
            JWTClaimsSet claims = tokens.verify(token);
            if (claims != null && client.clientId().equals(claims.getClaim("client_id")) && tokens.live(claims)) {
                revocations.revokeAccessToken(UUID.fromString(claims.getJWTID()));
            }
        }
        return HttpResponse.<Void>ok().header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
