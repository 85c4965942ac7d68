package io.linkguard.http.crypto;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of AES-256 keys by id, read from one setting ({@code kid:base64key[,kid:base64key…]}),
 * with the id new secrets are sealed with. Old keys stay in the ring to open older rows, so keys
 * rotate without re-encrypting everything at once. Every problem with the setting is reported at
 * start-up naming the environment variable.
 */
public final class KeyRing {

    private final Map<String, SecretKeySpec> keys;
    private final String activeKeyId;

    private KeyRing(Map<String, SecretKeySpec> keys, String activeKeyId) {
        this.keys = keys;
        this.activeKeyId = activeKeyId;
    }

    /**
     * @param spec        the setting's value; null or blank for no keys
     * @param activeKeyId the id new secrets use
     * @param variable    the environment variable behind {@code spec}, for messages
     * @param activeVariable the environment variable behind {@code activeKeyId}
     * @throws ConfigurationException when the value is malformed or the active key is missing
     */
    public static KeyRing parse(@Nullable String spec, String activeKeyId, String variable, String activeVariable) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return new KeyRing(keys, activeKeyId);
        }
        for (String part : spec.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new ConfigurationException(variable + ": expected kid:base64key[,kid:base64key…]");
            }
            String kid = part.substring(0, colon).trim();
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(part.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(variable + ": key '" + kid + "' is not base64");
            }
            if (raw.length != 32) {
                throw new ConfigurationException(variable + ": key '" + kid + "' must be 32 bytes (AES-256)");
            }
            keys.put(kid, new SecretKeySpec(raw, "AES"));
        }
        if (!keys.containsKey(activeKeyId)) {
            throw new ConfigurationException(activeVariable + " '" + activeKeyId + "' is not among the keys of " + variable);
        }
        return new KeyRing(keys, activeKeyId);
    }

    /** @return whether the ring holds no key at all */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** @return the id new secrets are sealed with */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** @return the active key; empty for an empty ring */
    public Optional<SecretKeySpec> active() {
        return key(activeKeyId);
    }

    /** @return the key with this id, if the ring still holds it */
    public Optional<SecretKeySpec> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** @return every key id (the active one and those kept to open older rows) */
    public Set<String> keyIds() {
        return Set.copyOf(keys.keySet());
    }
}
