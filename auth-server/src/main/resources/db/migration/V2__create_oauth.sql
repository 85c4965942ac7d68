-- The authorization server's state. Codes, refresh tokens and client secrets are stored as
-- SHA-256 hashes only; signing keys' private parts are AES-GCM encrypted.
CREATE TABLE signing_keys (
    kid          text        PRIMARY KEY,
    alg          text        NOT NULL,
    public_jwk   text        NOT NULL,
    private_ct   bytea       NOT NULL,
    private_iv   bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at   timestamptz
);

CREATE TABLE clients (
    client_id      text        PRIMARY KEY,
    secret_hash    text,
    client_type    text        NOT NULL CHECK (client_type IN ('public', 'confidential')),
    name           text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('first_party', 'third_party', 'service_account', 'internal')),
    org_id         uuid        REFERENCES orgs (id) ON DELETE CASCADE,
    redirect_uris  text[]      NOT NULL DEFAULT '{}',
    grant_types    text[]      NOT NULL,
    scopes         text[]      NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((client_type = 'confidential') = (secret_hash IS NOT NULL))
);
CREATE INDEX clients_org_idx ON clients (org_id);

-- A signed-in user's pending authorization (consent for third-party clients), one-time.
CREATE TABLE authorization_requests (
    ticket_hash   text        PRIMARY KEY,
    client_id     text        NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri  text        NOT NULL,
    scope         text        NOT NULL,
    state         text,
    code_challenge text       NOT NULL,
    expires_at    timestamptz NOT NULL,
    used          boolean     NOT NULL DEFAULT false
);
CREATE INDEX authorization_requests_expiry_idx ON authorization_requests (expires_at);

CREATE TABLE authorization_codes (
    code_hash      text        PRIMARY KEY,
    client_id      text        NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri   text        NOT NULL,
    scope          text        NOT NULL,
    code_challenge text        NOT NULL,
    expires_at     timestamptz NOT NULL,
    used           boolean     NOT NULL DEFAULT false,
    used_at        timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX authorization_codes_expiry_idx ON authorization_codes (expires_at);

-- Every refresh token descends from one grant: its family. Revoking the family ends them all.
CREATE TABLE token_families (
    id          uuid        PRIMARY KEY,
    client_id   text        NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope       text        NOT NULL,
    code_hash   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX token_families_code_idx ON token_families (code_hash) WHERE code_hash IS NOT NULL;
CREATE INDEX token_families_expiry_idx ON token_families (expires_at);

CREATE TABLE refresh_tokens (
    token_hash  text        PRIMARY KEY,
    family_id   uuid        NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used        boolean     NOT NULL DEFAULT false,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (expires_at);

-- Access tokens handed out, by jti: lets introspection answer "inactive" once a token or its
-- family is revoked (the JWT itself stays valid for other services until it expires, 10 min).
CREATE TABLE access_tokens (
    jti         uuid        PRIMARY KEY,
    family_id   uuid        REFERENCES token_families (id) ON DELETE CASCADE,
    client_id   text        NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX access_tokens_family_idx ON access_tokens (family_id);
CREATE INDEX access_tokens_expiry_idx ON access_tokens (expires_at);

-- User deletions to deliver to the other services until each confirms (SPEC §3.7).
CREATE TABLE user_deletion_outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       uuid        NOT NULL,
    service       text        NOT NULL,
    attempts      int         NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, service)
);
CREATE INDEX user_deletion_outbox_due_idx ON user_deletion_outbox (next_attempt) WHERE delivered_at IS NULL;
