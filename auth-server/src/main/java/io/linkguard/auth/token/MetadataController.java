package io.linkguard.auth.token;

import io.linkguard.auth.config.IssuerConfiguration;
import io.linkguard.http.config.PublicUrl;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 8414 authorization server metadata, also served as OpenID discovery. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
class MetadataController {

    private final Map<String, Object> metadata;

    MetadataController(IssuerConfiguration identity, PublicUrl site) {
        String base = site.base();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", identity.issuer());
        m.put("authorization_endpoint", base + "/oauth/authorize");
        m.put("token_endpoint", base + "/oauth/token");
        m.put("jwks_uri", base + "/oauth/jwks");
        m.put("registration_endpoint", base + "/oauth/register");
        m.put("revocation_endpoint", base + "/oauth/revoke");
        m.put("introspection_endpoint", base + "/oauth/introspect");
        m.put("scopes_supported", List.of("connectors:read", "profiles:write", "automation:write", "admin",
                "health:report", "tokens:read"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        List<String> auth = List.of("client_secret_basic", "client_secret_post", "none");
        m.put("token_endpoint_auth_methods_supported", auth);
        m.put("revocation_endpoint_auth_methods_supported", auth);
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("ES256"));
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256"));
        this.metadata = Map.copyOf(m);
    }

    @Get("/.well-known/oauth-authorization-server")
    Map<String, Object> authorizationServer() {
        return metadata;
    }

    @Get("/.well-known/openid-configuration")
    Map<String, Object> openid() {
        return metadata;
    }
}
