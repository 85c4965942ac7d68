-- Health of one connector for one user: the source of truth behind the dashboard's banner.
-- No table here references a users table (users live in auth-server's schema); rows are
-- keyed by user_id and removed by the deletion endpoint when auth-server deletes a user.
CREATE TABLE connector_health (
    user_id          uuid        NOT NULL,
    connector        text        NOT NULL CHECK (connector ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    org_id           uuid        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('connected', 'needs_reauth', 'disabled')),
    -- the status before the last applied report: lets the upsert write history in the same statement
    previous_status  text        CHECK (previous_status IN ('connected', 'needs_reauth', 'disabled')),
    error_code       text,
    last_success_at  timestamptz,
    last_failure_at  timestamptz,
    observed_at      timestamptz NOT NULL,
    auth_profile_id  uuid,
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (user_id, connector)
);
CREATE INDEX connector_health_org_idx ON connector_health (org_id);

CREATE TABLE connector_health_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      uuid        NOT NULL,
    connector    text        NOT NULL,
    org_id       uuid        NOT NULL,
    from_status  text,
    to_status    text        NOT NULL CHECK (to_status IN ('connected', 'needs_reauth', 'disabled')),
    error_code   text,
    observed_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX connector_health_history_user_idx ON connector_health_history (user_id, connector, id);

CREATE TABLE automation_pause (
    user_id        uuid        PRIMARY KEY,
    org_id         uuid        NOT NULL,
    paused         boolean     NOT NULL,
    paused_at      timestamptz,
    paused_reason  text,
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
