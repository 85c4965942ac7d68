package io.linkguard.http.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One entry of auth-server's revocation list.
 *
 * @param id        the entry's position in the list (increasing; the followers' cursor)
 * @param kind      {@code jti} (one access token), {@code sid} (every access token of a refresh-token
 *                  family) or {@code sub} (every token of the subject issued before {@code notBefore})
 * @param value     the jti, the sid, or for {@code sub} the {@link #subjectDigest digest} of the subject: the
 *                  list never names a user (a deleted user's entry must not keep their id alive)
 * @param notBefore for {@code sub}: tokens issued before this instant are void; null otherwise
 * @param expiresAt when the entry can no longer match a live token and may be forgotten
 */
@Serdeable
public record RevocationEntry(long id, String kind, String value, @Nullable Instant notBefore, Instant expiresAt) {

    /** Kind of an entry that names one access token by its {@code jti}. */
    public static final String JTI = "jti";
    /** Kind of an entry that names a token family by the {@code sid} its access tokens carry. */
    public static final String SID = "sid";
    /** Kind of an entry that voids a subject's tokens issued before {@code notBefore}. */
    public static final String SUB = "sub";

    /**
     * @param subject a token's {@code sub} (a user id or a service account's client id)
     * @return the value a {@code sub} entry carries for it: SHA-256, hex
     */
    public static String subjectDigest(String subject) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
