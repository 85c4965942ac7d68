package io.linkguard.auth.authorize;

import io.linkguard.auth.client.RegisteredClient;
import io.micronaut.core.annotation.Nullable;

/**
 * A validated authorization request (RFC 6749 §4.1.1 + PKCE).
 *
 * @param client        the client
 * @param redirectUri   the exactly matching registered redirect URI
 * @param scope         granted scope string
 * @param state         the client's state, echoed back
 * @param codeChallenge S256 code challenge
 */
record AuthorizationRequest(RegisteredClient client, String redirectUri, String scope, @Nullable String state,
                            String codeChallenge) {
}
