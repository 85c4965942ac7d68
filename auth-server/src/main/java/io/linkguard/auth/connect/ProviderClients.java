package io.linkguard.auth.connect;

import io.linkguard.auth.profile.AuthProfile;
import io.linkguard.auth.profile.AuthProfileRepository;
import io.linkguard.auth.profile.AuthProfileSecret;
import io.linkguard.auth.profile.AuthProfileSecretRepository;
import io.linkguard.auth.profile.SecretCipher;
import io.linkguard.auth.provider.ProviderDefinition;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/**
 * Which client id/secret to use at a provider for an org: the org's own active {@code oauth_app}
 * profile wins; otherwise {@code linkguard.providers.<key>.client-id/client-secret}.
 */
@Singleton
class ProviderClients {

    private final AuthProfileRepository profiles;
    private final AuthProfileSecretRepository secrets;
    private final SecretCipher cipher;
    private final Environment environment;

    ProviderClients(AuthProfileRepository profiles, AuthProfileSecretRepository secrets, SecretCipher cipher,
                    Environment environment) {
        this.profiles = profiles;
        this.secrets = secrets;
        this.cipher = cipher;
        this.environment = environment;
    }

    /** A client and where it comes from: {@code org_app} or {@code deployment}. */
    record Resolved(ProviderClient client, String source) {
    }

    Optional<ProviderClient> resolve(UUID orgId, ProviderDefinition provider) {
        return resolveWithSource(orgId, provider).map(Resolved::client);
    }

    /**
     * The client a connection was made with, if it is still configured: the org's app or the
     * deployment's client whose id is {@code clientId}. Empty when that client is gone (the org
     * app was deleted or replaced): its connections cannot be refreshed with another client.
     */
    Optional<Resolved> resolveExactly(UUID orgId, ProviderDefinition provider, String clientId) {
        AuthProfile app = profiles.findOrgApp(orgId, provider.key());
        if (app != null) {
            AuthProfileSecret s = secrets.findById(app.id());
            if (s != null && clientId.equals(s.clientId())) {
                return Optional.of(new Resolved(new ProviderClient(s.clientId(),
                        cipher.decrypt(app.id(), s.keyId(), s.ciphertext())), "org_app"));
            }
        }
        return deployment(provider).filter(r -> clientId.equals(r.client().clientId()));
    }

    private Optional<Resolved> deployment(ProviderDefinition provider) {
        String prefix = "linkguard.providers." + provider.key() + ".";
        Optional<String> id = environment.getProperty(prefix + "client-id", String.class).filter(v -> !v.isBlank());
        Optional<String> secret = environment.getProperty(prefix + "client-secret", String.class).filter(v -> !v.isBlank());
        if (id.isPresent() && secret.isPresent()) {
            return Optional.of(new Resolved(new ProviderClient(id.get(), secret.get()), "deployment"));
        }
        return Optional.empty();
    }

    Optional<Resolved> resolveWithSource(UUID orgId, ProviderDefinition provider) {
        AuthProfile app = profiles.findOrgApp(orgId, provider.key());
        if (app != null) {
            AuthProfileSecret s = secrets.findById(app.id());
            if (s != null && s.clientId() != null) {
                return Optional.of(new Resolved(new ProviderClient(s.clientId(),
                        cipher.decrypt(app.id(), s.keyId(), s.ciphertext())), "org_app"));
            }
        }
        return deployment(provider);
    }
}
