package io.linkguard.auth.jwk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.linkguard.sql.Sql;
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
 * The ES256 signing keys, newest first: the <em>next</em> key (published, not signing yet), the
 * <em>current</em> key (signs), the <em>previous</em> key (published, so tokens signed just before
 * a rotation keep validating). A rotation promotes next to current and creates a new next, so a
 * key is in every service's cached JWKS long before it signs anything: no 401 window after a
 * rotation, and no JWKS fetch storm. Keys live in the schema (private part encrypted), so
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

    /** @return the public JWK set: the next, current and previous keys */
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

    /**
     * Promotes the pre-published next key to current and pre-publishes a new next key; the old
     * current stays published as the previous key.
     *
     * @return the key that signs from now on
     */
    @Transactional
    public String rotate() {
        sql.one("SELECT pg_advisory_xact_lock(?)", rs -> 1, ADVISORY_LOCK);
        insertNewKey();
        // keys older than the previous one are retired: no longer published, kept for audit
        sql.update("""
                UPDATE signing_keys SET retired_at = clock_timestamp()
                 WHERE retired_at IS NULL AND kid NOT IN (SELECT kid FROM signing_keys ORDER BY created_at DESC LIMIT 3)""");
        return sql.one("SELECT kid FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC OFFSET 1 LIMIT 1",
                rs -> rs.getString(1));
    }

    /** Re-reads the keys (other replicas may have rotated). */
    @Scheduled(fixedDelay = "${linkguard.auth.signing-keys.reload-interval:60s}",
            initialDelay = "${linkguard.auth.signing-keys.reload-initial-delay:60s}")
    public void reload() {
        List<ECKey> keys = sql.list("""
                SELECT kid, public_jwk, private_ct, private_iv FROM signing_keys
                 WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 3""", rs -> {
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
        // newest first: the newest is the pre-published next key, the one after it signs
        snapshot = new Snapshot(keys.size() >= 2 ? keys.get(1) : keys.get(0), keys);
    }

    @Transactional
    public void ensureKey() {
        sql.one("SELECT pg_advisory_xact_lock(?)", rs -> 1, ADVISORY_LOCK);
        // a current key and a pre-published next one
        Long live = sql.one("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL", rs -> rs.getLong(1));
        for (long n = live == null ? 0 : live; n < 2; n++) {
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
