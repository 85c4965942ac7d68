-- Reports to connector-health written in the same transaction as the change they describe (a
-- connection made), delivered until connector-health confirms. A row belongs to its user and goes
-- with them, so a report queued before a user's deletion can never re-create their health rows.
-- Rows connector-health refuses for good (4xx), or that fail for a day of attempts, are kept as
-- dead letters (dead_at) for the operator; delivered and dead rows are deleted after a week.
CREATE TABLE health_report_outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body          text        NOT NULL,
    attempts      int         NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL DEFAULT now(),
    last_error    text,
    delivered_at  timestamptz,
    dead_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_report_outbox_due ON health_report_outbox (next_attempt) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX health_report_outbox_user ON health_report_outbox (user_id);
