package io.linkguard.auth.connect;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/** Mints connect links: a random token, stored hashed, one-time, short-lived. */
@Singleton
public class ConnectTokens {

    private final ConnectTokenRepository tokens;
    private final ConnectConfiguration config;

    ConnectTokens(ConnectTokenRepository tokens, ConnectConfiguration config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** A link that lets {@code userId} connect the profile, once, within the token lifetime. */
    public Link mint(UUID authProfileId, UUID userId) {
        String token = Secrets.random();
        Instant now = Instant.now();
        tokens.save(new ConnectToken(Secrets.sha256(token), authProfileId, userId, now.plus(config.tokenTtl()), null, now));
        return new Link(token, config.connectUrl(token));
    }

    /** The raw token (shown once) and the URL that carries it. */
    public record Link(String token, String url) {
    }
}
