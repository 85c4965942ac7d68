-- Provider credentials, one per auth profile. Tokens are AES-GCM ciphertexts (iv || ciphertext || tag)
-- under the key named by key_id, so keys can rotate. version guards every write (compare-and-swap).
CREATE TABLE credentials (
    auth_profile_id       uuid        PRIMARY KEY,
    org_id                uuid        NOT NULL,
    user_id               uuid        NOT NULL,
    connector_key         text        NOT NULL,
    provider_key          text        NOT NULL,
    key_id                text        NOT NULL,
    access_token_ct       bytea       NOT NULL,
    refresh_token_ct      bytea,
    token_type            text        NOT NULL DEFAULT 'Bearer',
    expires_at            timestamptz,
    scopes                text[]      NOT NULL DEFAULT '{}',
    status                text        NOT NULL CHECK (status IN ('active', 'needs_reauth', 'refresh_uncertain')),
    version               bigint      NOT NULL DEFAULT 1,
    consecutive_failures  int         NOT NULL DEFAULT 0,
    first_failure_at      timestamptz,
    last_error            text,
    next_attempt_at       timestamptz,
    next_refresh_at       timestamptz,
    lease_owner           text,
    lease_until           timestamptz,
    last_refreshed_at     timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credentials_user_idx ON credentials (user_id);
CREATE INDEX credentials_due_idx ON credentials (next_refresh_at) WHERE status IN ('active', 'refresh_uncertain');

-- Reports to connector-health and auth-server, kept until delivered (never dropped).
CREATE TABLE report_outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target        text        NOT NULL CHECK (target IN ('health', 'auth')),
    path          text        NOT NULL,
    body          text        NOT NULL,
    attempts      int         NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_outbox_due_idx ON report_outbox (next_attempt) WHERE delivered_at IS NULL;
