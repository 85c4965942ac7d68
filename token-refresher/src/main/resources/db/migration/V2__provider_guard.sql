-- One request budget (token bucket) and one circuit breaker per provider, shared by every
-- token-refresher replica: the provider sees the configured rate however many replicas run, and
-- an outage opens the breaker once for all of them. Losing this state in a crash is harmless
-- (the bucket refills, the breaker closes), so it is written with synchronous_commit off.
CREATE TABLE provider_guard (
    provider_key          text             PRIMARY KEY,
    tokens                double precision NOT NULL,
    refilled_at           timestamptz      NOT NULL DEFAULT clock_timestamp(),
    consecutive_failures  int              NOT NULL DEFAULT 0,
    open_until            timestamptz,
    probe_until           timestamptz,
    trips                 bigint           NOT NULL DEFAULT 0
);
