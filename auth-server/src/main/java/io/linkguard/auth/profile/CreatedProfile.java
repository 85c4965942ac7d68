package io.linkguard.auth.profile;

import io.linkguard.auth.connect.ConnectTokens;
import io.micronaut.core.annotation.Nullable;

/**
 * The result of a create or reconnect.
 *
 * @param link   a fresh connect link, for an {@code oauth_account}; null otherwise
 * @param reused whether an existing profile (pending or needing re-auth) answered instead of a new one
 */
record CreatedProfile(AuthProfile profile, @Nullable ConnectTokens.Link link, boolean reused) {
}
