package io.linkguard.auth.token;

import io.linkguard.auth.client.RegisteredClient;
import io.linkguard.auth.token.grant.AuthorizationCodeGrant;
import io.linkguard.auth.token.grant.ClientCredentialsGrant;
import io.linkguard.auth.token.grant.RefreshTokenGrant;
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

/** {@code POST /oauth/token}: dispatches to one class per grant. */
@Controller("/oauth/token")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class TokenController {

    private final ClientAuthenticator authenticator;
    private final ClientCredentialsGrant clientCredentials;
    private final AuthorizationCodeGrant authorizationCode;
    private final RefreshTokenGrant refreshToken;

    TokenController(ClientAuthenticator authenticator, ClientCredentialsGrant clientCredentials,
                    AuthorizationCodeGrant authorizationCode, RefreshTokenGrant refreshToken) {
        this.authenticator = authenticator;
        this.clientCredentials = clientCredentials;
        this.authorizationCode = authorizationCode;
        this.refreshToken = refreshToken;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    HttpResponse<TokenResponse> token(@Nullable @Body Map<String, String> body,
                                      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        // an empty body is a malformed OAuth request, answered in OAuth terms below
        Map<String, String> form = body == null ? Map.of() : body;
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            throw OAuthError.INVALID_REQUEST.with("grant_type is required.");
        }
        RegisteredClient client = authenticator.authenticate(authorization, form);
        TokenResponse response = switch (grantType) {
            case "client_credentials" -> clientCredentials.handle(client, form);
            case "authorization_code" -> authorizationCode.handle(client, form);
            case "refresh_token" -> refreshToken.handle(client, form);
            default -> throw OAuthError.UNSUPPORTED_GRANT_TYPE.with("This grant type is not supported.");
        };
        return HttpResponse.ok(response).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }
}
