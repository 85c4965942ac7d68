package io.linkguard.http.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This service's copy of auth-server's revocation list: revoked access tokens (jti), revoked token
 * families (sid) and subjects whose older tokens are void (sub + not-before). A signed JWT stays
 * valid until its {@code exp}; this list is how a revocation reaches every service within about one
 * poll interval instead of the token's remaining lifetime.
 *
 * <p>Followed by polling a {@link RevocationFeed} every {@code poll-interval} from one daemon
 * thread, with a cursor, so each poll carries only what is new. Entries are forgotten at their own
 * expiry (when no token they could match is still alive). The list knows when it last refreshed
 * successfully: {@link #fresh()} turns false after {@code max-staleness}, and then
 * {@link RevocationClaimsValidator} refuses every token but internal ones (fail closed).
 *
 * <p>Created at start-up (so polling starts before the first request) only in a service that has a
 * feed: {@code linkguard.security.revocation.url} set, or auth-server's local feed; a shared jar's
 * singleton would otherwise switch on everywhere. Thread-safe: one writer (the poller), many readers.
 */
@Context
@Requires(beans = RevocationFeed.class)
@Requires(property = "linkguard.security.revocation.enabled", notEquals = "false")
public class RevocationList implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

    private record Subject(Instant notBefore, Instant expiresAt) {
    }

    private final RevocationFeed feed;
    private final Duration maxStaleness;
    private final Clock clock;
    private final Map<String, Instant> jtis = new ConcurrentHashMap<>();
    private final Map<String, Instant> sids = new ConcurrentHashMap<>();
    private final Map<String, Subject> subjects = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile long cursor;
    private volatile Instant lastRefresh;
    private volatile boolean failing;

    @Inject
    public RevocationList(RevocationFeed feed, RevocationConfiguration config) {
        this(feed, config.maxStaleness(), Clock.systemUTC());
        long every = Math.max(50, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A list that polls only when {@link #refresh()} is called (tests).
     *
     * @param feed         where entries come from
     * @param maxStaleness how long without a successful refresh the list still counts as fresh
     * @param clock        the clock
     */
    public RevocationList(RevocationFeed feed, Duration maxStaleness, Clock clock) {
        this.feed = feed;
        this.maxStaleness = maxStaleness;
        this.clock = clock;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revocation-list");
            t.setDaemon(true);
            return t;
        });
    }

    private void poll() {
        try {
            refresh();
            if (failing) {
                LOG.info("Revocation list refreshed again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                // once per outage, not once per poll
                LOG.warn("Revocation list could not be refreshed: {}", e.toString());
                failing = true;
            }
        }
    }

    /**
     * Reads everything new from the feed and forgets expired entries.
     *
     * @throws RuntimeException when the feed cannot be read; the list then keeps what it had and
     *                          its last refresh time does not move
     */
    public void refresh() {
        // the list is known to be complete as of the moment the first request was sent, not when the last answer came
        Instant started = clock.instant();
        long c = cursor;
        RevocationPage page;
        do {
            page = feed.since(c);
            for (RevocationEntry e : page.entries()) {
                add(e);
            }
            c = Math.max(c, page.cursor());
        } while (page.more() && !page.entries().isEmpty());
        cursor = c;
        lastRefresh = started;
        forgetExpired(started);
    }

    private void add(RevocationEntry e) {
        switch (e.kind()) {
            case RevocationEntry.JTI -> jtis.merge(e.value(), e.expiresAt(), RevocationList::later);
            case RevocationEntry.SID -> sids.merge(e.value(), e.expiresAt(), RevocationList::later);
            case RevocationEntry.SUB -> {
                if (e.notBefore() != null) {
                    subjects.merge(e.value(), new Subject(e.notBefore(), e.expiresAt()),
                            (a, b) -> new Subject(later(a.notBefore(), b.notBefore()), later(a.expiresAt(), b.expiresAt())));
                }
            }
            default -> LOG.debug("Ignoring a revocation entry of unknown kind {}", e.kind());
        }
    }

    private void forgetExpired(Instant now) {
        jtis.values().removeIf(exp -> exp.isBefore(now));
        sids.values().removeIf(exp -> exp.isBefore(now));
        subjects.values().removeIf(s -> s.expiresAt().isBefore(now));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * @param jti      the token's {@code jti}, may be null
     * @param sid      the token's {@code sid}, may be null
     * @param subject  the token's {@code sub}, may be null
     * @param issuedAt the token's {@code iat}; a token without one counts as issued at the beginning of time
     * @return whether the list revokes a token with these claims
     */
    public boolean revoked(@Nullable String jti, @Nullable String sid, @Nullable String subject, @Nullable Instant issuedAt) {
        if (jti != null && jtis.containsKey(jti)) {
            return true;
        }
        if (sid != null && sids.containsKey(sid)) {
            return true;
        }
        if (subject != null && !subjects.isEmpty()) {
            Subject s = subjects.get(RevocationEntry.subjectDigest(subject));
            // iat has whole seconds: a token of the same second as the event may predate it, so it is refused too
            return s != null && (issuedAt == null || issuedAt.isBefore(s.notBefore().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));
        }
        return false;
    }

    /** @return whether the last successful refresh is at most {@code max-staleness} old */
    public boolean fresh() {
        Instant last = lastRefresh;
        return last != null && !clock.instant().isAfter(last.plus(maxStaleness));
    }

    /** @return when the list was last refreshed successfully, empty before the first success */
    public Optional<Instant> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    /** @return the cursor of the last refresh */
    public long cursor() {
        return cursor;
    }

    /** @return the number of entries held */
    public int size() {
        return jtis.size() + sids.size() + subjects.size();
    }

    @Override
    @PreDestroy
    public void close() {
        poller.shutdownNow();
    }
}
