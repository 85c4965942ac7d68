package io.linkguard.health.webhook;

import java.util.List;

/**
 * How a transition queues its webhook deliveries: an SQL fragment that the statement making the
 * transition appends as one more CTE, so the event and the change it describes commit together
 * (or not at all). {@code source} names a relation with columns {@code org_id}, {@code user_id},
 * {@code event} (null for "nothing to announce") and {@code data} (json); one delivery row is
 * written per endpoint of that org subscribed to the event. The body follows the Standard
 * Webhooks shape: {@code {"type", "timestamp", "data"}}.
 */
public final class WebhookOutbox {

    /** Every event an endpoint can subscribe to. */
    public static final List<String> EVENTS = List.of("connection.needs_reauth", "connection.recovered",
            "connection.revoked", "connection.refresh_failed", "automation.paused", "automation.resumed");

    private WebhookOutbox() {
    }

    /**
     * @param source the CTE holding the events
     * @return an {@code INSERT … SELECT} to use as a data-modifying CTE
     */
    public static String queueFrom(String source) {
        return """
                INSERT INTO webhook_deliveries (id, endpoint_id, org_id, user_id, event, payload)
                SELECT gen_random_uuid(), e.id, s.org_id, s.user_id, s.event,
                       json_build_object('type', s.event,
                                         'timestamp', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                         'data', s.data)::text
                  FROM %s s JOIN webhook_endpoints e ON e.org_id = s.org_id AND s.event = ANY (e.events)
                 WHERE s.event IS NOT NULL""".formatted(source);
    }
}
