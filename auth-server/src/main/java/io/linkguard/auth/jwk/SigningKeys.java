package io.linkguard.auth.jwk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.linkguard.auth.db.Sql;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;

/**
 * The ES256 signing keys. The newest key signs; the newest two are published, so tokens signed
 * just before a rotation keep validating. Keys live in the schema (private part encrypted), so
 * every replica signs with the same key; a replica picks up a rotation within a minute, and at
 * once when it meets an unknown {@code kid}.
 *
 * Concurrency: several replicas starting on an empty schema serialise on an advisory lock, so
 * exactly one key is created.
 */
@Singleton
public class SigningKeys {

    private static final long ADVISORY_LOCK = 0x4c4b5f4b455953L; // "LK_KEYS"

    private final Sql sql;
    private final KeyEncryption encryption;
    private volatile Snapshot snapshot;

    record Snapshot(ECKey current, List<ECKey> published) {
    }

    SigningKeys(Sql sql, KeyEncryption encryption) {
        this.sql = sql;
        this.encryption = encryption;
    }

    /** Start-up: make sure a key exists (through the transactional proxy, hence a separate listener bean). */
    @Singleton
    static class Bootstrap {
        private final SigningKeys keys;

        Bootstrap(SigningKeys keys) {
            this.keys = keys;
        }

        @EventListener
        void onStartup(StartupEvent event) {
            keys.ensureKey();
            keys.reload();
        }
    }

    private Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s == null) {
            reload();
            s = snapshot;
        }
        return s;
    }

    /** @return the key that signs new tokens (with its private part) */
    public ECKey current() {
        return snapshot().current();
    }

    /** @return the public JWK set: the current and the previous key */
    public JWKSet publicSet() {
        return new JWKSet(snapshot().published().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
    }

    /**
     * @param kid a key id from a token header
     * @return the published key with that id, reloading once if it is unknown (another replica rotated)
     */
    @Nullable
    public ECKey find(@Nullable String kid) {
        ECKey k = lookup(kid);
        if (k == null && kid != null) {
            reload();
            k = lookup(kid);
        }
        return k;
    }

    private ECKey lookup(@Nullable String kid) {
        return snapshot().published().stream().filter(k -> k.getKeyID().equals(kid)).findFirst().orElse(null);
    }

    /** Creates a new signing key; the old current one stays published as the previous key. */
    @Transactional
    public String rotate() {
        String kid = insertNewKey();
        // keys older than the previous one are retired: no longer published, kept for audit
        sql.update("""
                UPDATE signing_keys SET retired_at = clock_timestamp()
                 WHERE retired_at IS NULL AND kid NOT IN (SELECT kid FROM signing_keys ORDER BY created_at DESC LIMIT 2)""");
        return kid;
    }

    /** Re-reads the keys (other replicas may have rotated). */
    @Scheduled(fixedDelay = "60s", initialDelay = "60s")
    public void reload() {
        List<ECKey> keys = sql.list("""
                SELECT kid, public_jwk, private_ct, private_iv FROM signing_keys
                 WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 2""", rs -> {
            String kid = rs.getString("kid");
            byte[] priv = encryption.decrypt(kid, rs.getBytes("private_ct"), rs.getBytes("private_iv"));
            try {
                return ECKey.parse(new String(priv, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new IllegalStateException("Signing key " + kid + " is unreadable", e);
            }
        });
        if (keys.isEmpty()) {
            throw new IllegalStateException("No signing key in the database");
        }
        snapshot = new Snapshot(keys.get(0), keys);
    }

    @Transactional
    public void ensureKey() {
        sql.one("SELECT pg_advisory_xact_lock(?)", rs -> 1, ADVISORY_LOCK);
        Integer existing = sql.one("SELECT 1 FROM signing_keys WHERE retired_at IS NULL LIMIT 1", rs -> 1);
        if (existing == null) {
            insertNewKey();
        }
    }

    private String insertNewKey() {
        try {
            String kid = UUID.randomUUID().toString();
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256)
                    .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE).generate();
            byte[][] sealed = encryption.encrypt(kid, key.toJSONString().getBytes(StandardCharsets.UTF_8));
            sql.updateOne("insert signing key", """
                    INSERT INTO signing_keys (kid, alg, public_jwk, private_ct, private_iv) VALUES (?, 'ES256', ?, ?, ?)""",
                    kid, key.toPublicJWK().toJSONString(), sealed[0], sealed[1]);
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException("Generating a signing key failed", e);
        }
    }
}
