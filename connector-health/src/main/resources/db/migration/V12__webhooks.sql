-- Signed webhooks (Standard Webhooks) for an org's endpoints. A delivery row is written by the
-- same statement that changes a connector's status (or flips the automation pause), so an event
-- exists exactly when its transition committed; webhook-id is the row's id, the same on every
-- attempt, so receivers can drop repeats. Deliveries are retried with backoff for a day, then
-- marked failed; delivered and failed rows are pruned after the retention.
CREATE TABLE webhook_endpoints (
    id           uuid        PRIMARY KEY,
    org_id       uuid        NOT NULL,
    url          text        NOT NULL,
    events       text[]      NOT NULL,
    description  text,
    -- the signing secret ("whsec_" + base64 key): needed in clear to sign; shown to the admin once
    secret       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhook_endpoints_org_idx ON webhook_endpoints (org_id);

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    org_id           uuid        NOT NULL,
    user_id          uuid,
    event            text        NOT NULL,
    payload          text        NOT NULL,
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt     timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_status      int,
    last_error       text,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    failed_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_user_idx ON webhook_deliveries (user_id);
