package io.linkguard.auth.connect;

import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import io.linkguard.auth.account.AccountRepository;
import io.linkguard.auth.account.UserAccount;
import io.linkguard.auth.profile.AuthProfile;
import io.linkguard.auth.profile.AuthProfileRepository;
import io.linkguard.auth.provider.ProviderCatalog;
import io.linkguard.auth.provider.ProviderDefinition;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The connect flow (docs/connect-flow.md): connect link → provider authorize → callback → code exchange →
 * credential to token-refresher → profile active → {@code connected} to connector-health.
 * Ordering keeps it whole: the profile becomes active only after token-refresher has the
 * credential, and any failure before that leaves the profile as it was.
 */
@Singleton
class ConnectService {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectService.class);
    /** "The code was bad, expired or used", as RFC 6749 says it and as GitHub and Slack do. */
    private static final java.util.Set<String> BAD_CODE = java.util.Set.of("invalid_grant", "bad_verification_code", "invalid_code");

    private final ConnectTokenRepository tokens;
    private final ConnectStateRepository states;
    private final AuthProfileRepository profiles;
    private final ProviderCatalog catalog;
    private final ProviderClients clients;
    private final ProviderTokenExchange exchange;
    private final RefresherClient refresher;
    private final HealthReporter health;
    private final TransactionOperations<Connection> tx;
    private final ConnectConfiguration config;
    private final AccountRepository accounts;

    ConnectService(ConnectTokenRepository tokens, ConnectStateRepository states, AuthProfileRepository profiles,
                   ProviderCatalog catalog, ProviderClients clients, ProviderTokenExchange exchange,
                   RefresherClient refresher, HealthReporter health, ConnectConfiguration config,
                   AccountRepository accounts, TransactionOperations<Connection> tx) {
        this.tx = tx;
        this.accounts = accounts;
        this.tokens = tokens;
        this.states = states;
        this.profiles = profiles;
        this.catalog = catalog;
        this.clients = clients;
        this.exchange = exchange;
        this.refresher = refresher;
        this.health = health;
        this.config = config;
    }

    /** Who and what a connect link is for, shown before anything happens. */
    record Preview(String email, String orgName, String providerName, String displayName) {
    }

    /**
     * Describes the link without using it up (a link-preview bot opening it must not burn it): the
     * Linkguard account and org the connection will belong to, and the provider.
     */
    Preview preview(String connectToken) {
        ConnectToken token = tokens.findUsable(Secrets.sha256(connectToken));
        if (token == null) {
            throw expired();
        }
        AuthProfile profile = connectable(token);
        ProviderDefinition provider = provider(profile);
        client(profile, provider); // "not set up" shows now, not after the user pressed Continue
        UserAccount user = accounts.findById(token.userId());
        if (user == null) {
            throw gone();
        }
        String org = accounts.orgName(profile.orgId());
        return new Preview(user.email(), org == null ? "" : org, provider.name(), profile.displayName());
    }

    /** Uses up the connect token and returns the provider's authorize URL. */
    URI start(String connectToken) {
        ConnectToken token = tokens.consume(Secrets.sha256(connectToken));
        if (token == null) {
            throw expired();
        }
        AuthProfile profile = connectable(token);
        ProviderDefinition provider = provider(profile);
        ProviderClient client = client(profile, provider);

        String state = Secrets.random();
        String verifier = provider.pkce() ? Secrets.random() : null;
        Instant now = Instant.now();
        states.save(new ConnectState(Secrets.sha256(state), profile.id(), token.userId(), provider.key(),
                config.redirectUri(), profile.requestedScopes(), verifier, now.plus(config.stateTtl()), null, now));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.clientId());
        params.put("redirect_uri", config.redirectUri());
        List<String> scopes = split(profile.requestedScopes());
        if (!scopes.isEmpty()) {
            params.put("scope", provider.joinScopes(scopes));
        }
        params.put("state", state);
        if (verifier != null) {
            params.put("code_challenge", Secrets.s256(verifier));
            params.put("code_challenge_method", "S256");
        }
        provider.authorizeParams().forEach(params::putIfAbsent);
        return URI.create(appendQuery(url(provider, provider.authorizeUrl(), profile), params));
    }

    /** Finishes the flow; returns where to send the browser. */
    URI callback(@Nullable String state, @Nullable String code, @Nullable String error) {
        if (state == null || state.isBlank()) {
            throw new ConnectPageException(400, "This sign-in response is incomplete",
                    "The provider sent the browser back without the information Linkguard needs. Start again from the dashboard.");
        }
        ConnectState s = states.consume(Secrets.sha256(state));
        if (s == null) {
            throw new ConnectPageException(400, "This sign-in response was already used or has expired",
                    "Each sign-in can be completed once. Start again from the dashboard.");
        }
        AuthProfile profile = profiles.findById(s.authProfileId());
        if (profile == null) {
            throw gone();
        }
        ProviderDefinition provider = provider(profile);
        if (error != null) {
            if ("access_denied".equals(error)) {
                throw new ConnectPageException(400, provider.name() + " access was not granted",
                        "You declined access at " + provider.name() + ", so the connection was not made. "
                                + "You can start again from the dashboard whenever you like.");
            }
            throw new ConnectPageException(400, provider.name() + " reported an error",
                    provider.name() + " did not complete the sign-in (" + safeCode(error) + "). "
                            + "The connection was not made; start again from the dashboard.");
        }
        if (code == null || code.isBlank()) {
            throw new ConnectPageException(400, "This sign-in response is incomplete",
                    provider.name() + " sent no authorization code. Start again from the dashboard.");
        }
        ProviderClient client = client(profile, provider);
        ProviderTokenExchange.ProviderTokens t;
        try {
            t = exchange.exchange(provider, url(provider, provider.tokenUrl(), profile), client, code,
                    s.redirectUri(), s.codeVerifier());
        } catch (ProviderTokenExchange.ExchangeFailedException e) {
            LOG.info("code exchange for profile {} at {} failed: {}", profile.id(), provider.key(), e.errorCode);
            // invalid_grant: the code itself was bad, expired or used — the request's fault (400);
            // anything else (unreachable, our client refused, a broken answer) is upstream trouble (502)
            throw new ConnectPageException(BAD_CODE.contains(e.errorCode) ? 400 : 502,
                    provider.name() + " did not accept the sign-in",
                    provider.name() + " refused to complete the sign-in (" + e.errorCode + "). "
                            + "The connection was not made; start again from the dashboard.");
        }
        // RFC 6749 §5.1: a token response without scope means the requested scope was granted.
        List<String> granted = t.scopes() != null ? t.scopes() : split(s.requestedScopes());
        try {
            refresher.put(profile.id(), new RefresherClient.Credential(profile.orgId(), profile.createdBy(),
                    profile.connectorKey(), profile.providerKey(), t.accessToken(), t.refreshToken(), t.tokenType(),
                    t.expiresAt(), granted, client.clientId()));
        } catch (RefresherClient.RefresherUnavailableException e) {
            LOG.warn("credential hand-off for profile {} failed: {}", profile.id(), e.getMessage());
            throw new ConnectPageException(502, "The connection could not be saved",
                    "Linkguard could not store the new " + provider.name() + " connection right now. Nothing was "
                            + "changed; please start again from the dashboard in a moment.");
        }
        // The profile's new state and the report that tells connector-health are one transaction.
        long[] report = {-1};
        int connected = tx.executeWrite(status -> {
            int n = profiles.markConnected(profile.id(), String.join(" ", granted));
            if (n > 0) {
                report[0] = health.queueConnected(profile);
            }
            return n;
        });
        if (connected == 0) {
            // Deleted (or connected by a parallel flow) while the user was at the provider.
            AuthProfile now = profiles.findById(profile.id());
            if (now == null) {
                try {
                    refresher.delete(profile.id());
                } catch (RefresherClient.RefresherUnavailableException e) {
                    LOG.warn("orphan credential of deleted profile {} not removed: {}", profile.id(), e.getMessage());
                }
                throw gone();
            }
        }
        health.deliver(report[0]);
        return URI.create(config.dashboardUrl() + "?connected="
                + URLEncoder.encode(profile.connectorKey(), StandardCharsets.UTF_8));
    }

    private AuthProfile connectable(ConnectToken token) {
        AuthProfile profile = profiles.findById(token.authProfileId());
        if (profile == null || !profile.isOAuthAccount()) {
            throw gone();
        }
        if (!profile.awaitsAuthorization()) {
            throw new ConnectPageException(409, "Already connected",
                    "This connection is already set up. Nothing needs to be done.");
        }
        return profile;
    }

    private static ConnectPageException expired() {
        return new ConnectPageException(410, "This connect link has expired or was already used",
                "Connect links work once and for ten minutes. Start again from the dashboard.");
    }

    private ProviderDefinition provider(AuthProfile profile) {
        return catalog.find(profile.providerKey()).orElseThrow(() -> new ConnectPageException(503,
                "This provider is not available", "The provider of this connection is not configured on this Linkguard."));
    }

    private ProviderClient client(AuthProfile profile, ProviderDefinition provider) {
        return clients.resolve(profile.orgId(), provider).orElseThrow(() -> new ConnectPageException(503,
                provider.name() + " is not set up", "This Linkguard has no " + provider.name()
                        + " OAuth client configured. Ask your administrator to add one."));
    }

    /** A catalog URL with the profile's tenant values filled in. */
    private static String url(ProviderDefinition provider, String template, AuthProfile profile) {
        try {
            return provider.resolve(template, profile.connectionParams());
        } catch (IllegalArgumentException e) {
            // The catalog entry gained a placeholder after this profile was made: a new profile is needed.
            throw new ConnectPageException(409, provider.name() + " needs more details",
                    "This connection lacks the " + e.getMessage() + " " + provider.name()
                            + " needs. Delete it and create it again from the dashboard.");
        }
    }

    private static ConnectPageException gone() {
        return new ConnectPageException(410, "This connection no longer exists",
                "It was deleted. Start again from the dashboard.");
    }

    private static String safeCode(String error) {
        return error.matches("[a-z_]{1,64}") ? error : "unknown_error";
    }

    static List<String> split(String scopes) {
        if (scopes == null || scopes.isBlank()) {
            return List.of();
        }
        return List.of(scopes.trim().split("\\s+"));
    }

    static String appendQuery(String url, Map<String, String> params) {
        StringJoiner j = new StringJoiner("&");
        params.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        return url + (url.contains("?") ? "&" : "?") + j;
    }
}
