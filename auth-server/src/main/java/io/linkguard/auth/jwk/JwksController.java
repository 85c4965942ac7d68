package io.linkguard.auth.jwk;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Map;

/** The public keys (RFC 7517) and the operators' rotation switch. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class JwksController {

    private final SigningKeys keys;

    JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @Get("/oauth/jwks")
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<String> jwks() {
        // Short cache: a rotation reaches every validator within five minutes, and the previous key stays published.
        return HttpResponse.ok(keys.publicSet().toString()).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "public, max-age=300");
    }

    /**
     * Rotation is an operator action: it needs an internal token (the internal client secret), not an org admin's.
     */
    @Post("/internal/keys/rotate")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    Map<String, String> rotate() {
        String kid = keys.rotate();
        keys.reload();
        return Map.of("kid", kid);
    }
}
