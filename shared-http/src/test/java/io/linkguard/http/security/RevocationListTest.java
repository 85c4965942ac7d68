package io.linkguard.http.security;

import io.micronaut.security.token.Claims;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RevocationListTest {

    private static final Instant T0 = Instant.parse("2030-01-01T12:00:00.500Z");

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A feed serving a growing list, two entries per page, or failing on demand. */
    static final class FakeFeed implements RevocationFeed {
        final List<RevocationEntry> entries = new ArrayList<>();
        final List<Long> asked = new ArrayList<>();
        boolean down;

        void add(String kind, String value, Instant notBefore) {
            entries.add(new RevocationEntry(entries.size() + 1, kind, value, notBefore, T0.plus(Duration.ofMinutes(11))));
        }

        @Override
        public RevocationPage since(long cursor) {
            asked.add(cursor);
            if (down) {
                throw new IllegalStateException("auth-server unreachable");
            }
            List<RevocationEntry> after = entries.stream().filter(e -> e.id() > cursor).toList();
            List<RevocationEntry> page = after.subList(0, Math.min(2, after.size()));
            long next = page.isEmpty() ? cursor : page.get(page.size() - 1).id();
            return new RevocationPage(next, page, after.size() > page.size());
        }
    }

    private final MovableClock clock = new MovableClock();
    private final FakeFeed feed = new FakeFeed();
    private final RevocationList list = new RevocationList(feed, Duration.ofSeconds(10), clock);
    private final RevocationClaimsValidator<Object> validator = new RevocationClaimsValidator<>(list);

    @Test
    void revokedWhenJtiSidOrSubjectListedThenTrueElseFalse() {
        feed.add("jti", "j1", null);
        feed.add("sid", "family-1", null);
        feed.add("sub", RevocationEntry.subjectDigest("user-1"), T0);
        list.refresh();

        assertThat(list.revoked("j1", null, "someone", T0)).isTrue();
        assertThat(list.revoked("j2", "family-1", "someone", T0)).isTrue();
        assertThat(list.revoked("j2", "family-2", "someone", T0)).isFalse();
        assertThat(list.revoked("j2", null, "user-1", T0.minusSeconds(60))).isTrue();
        // iat has whole seconds: the event's own second is refused, the next one is not
        assertThat(list.revoked("j2", null, "user-1", Instant.parse("2030-01-01T12:00:00Z"))).isTrue();
        assertThat(list.revoked("j2", null, "user-1", Instant.parse("2030-01-01T12:00:01Z"))).isFalse();
        assertThat(list.revoked("j2", null, "user-1", null)).isTrue();
    }

    @Test
    void refreshWhenSeveralPagesThenFollowsCursorAndAsksOnlyForNews() {
        for (int i = 0; i < 5; i++) {
            feed.add("jti", "j" + i, null);
        }
        list.refresh();
        assertThat(list.cursor()).isEqualTo(5);
        assertThat(list.size()).isEqualTo(5);
        feed.asked.clear();

        feed.add("sid", "f", null);
        list.refresh();
        assertThat(feed.asked).containsExactly(5L);
        assertThat(list.revoked(null, "f", null, null)).isTrue();
    }

    @Test
    void refreshWhenEntryExpiredThenForgotten() {
        feed.add("jti", "j1", null);
        list.refresh();
        clock.now = T0.plus(Duration.ofMinutes(12));
        list.refresh();
        assertThat(list.revoked("j1", null, null, null)).isFalse();
        assertThat(list.size()).isZero();
    }

    @Test
    void freshWhenNeverRefreshedThenFalseSoUserTokensAreRefused() {
        assertThat(list.fresh()).isFalse();
        assertThat(validator.validate(claims("user-1", "connectors:read"), null)).isFalse();
    }

    @Test
    void validateWhenFeedDownLongerThanBoundThenUserAndServiceTokensRefusedButInternalAccepted() {
        list.refresh();
        assertThat(validator.validate(claims("user-1", "connectors:read"), null)).isTrue();

        feed.down = true;
        clock.now = T0.plusSeconds(9);
        assertThatThrownBy(list::refresh).isInstanceOf(IllegalStateException.class);
        assertThat(list.fresh()).isTrue();
        assertThat(validator.validate(claims("user-1", "connectors:read"), null)).isTrue();

        clock.now = T0.plusSeconds(11);
        assertThat(list.fresh()).isFalse();
        assertThat(validator.validate(claims("user-1", "connectors:read"), null)).isFalse();
        assertThat(validator.validate(claims("worker-1", "health:report"), null)).isFalse();
        assertThat(validator.validate(claims("linkguard-api-gateway", "internal"), null)).isTrue();

        feed.down = false;
        list.refresh();
        assertThat(validator.validate(claims("user-1", "connectors:read"), null)).isTrue();
    }

    @Test
    void validateWhenTokenRevokedThenRefusedEvenInternal() {
        feed.add("jti", "j-internal", null);
        list.refresh();
        Map<String, Object> c = new HashMap<>(raw("linkguard-api-gateway", "internal"));
        c.put("jti", "j-internal");
        assertThat(validator.validate(claims(c), null)).isFalse();
    }

    private static Claims claims(String sub, String scope) {
        return claims(raw(sub, scope));
    }

    private static Map<String, Object> raw(String sub, String scope) {
        Map<String, Object> c = new HashMap<>();
        c.put("sub", sub);
        c.put("scope", scope);
        c.put("jti", "j-" + sub);
        c.put("iat", Date.from(T0));
        return c;
    }

    private static Claims claims(Map<String, Object> c) {
        return new Claims() {
            @Override
            public Object get(String name) {
                return c.get(name);
            }

            @Override
            public Set<String> names() {
                return c.keySet();
            }

            @Override
            public boolean contains(String name) {
                return c.containsKey(name);
            }
        };
    }
}
