-- Connector auth profiles (SPEC §3.2) and the state of the connect flow.
-- Owned by the profile/connect feature; accounts (orgs, users) come from V1.

CREATE TABLE auth_profiles (
    id               uuid        PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    created_by       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connector_key    text        NOT NULL,
    provider_key     text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('oauth_account', 'oauth_app', 'api_key')),
    status           text        NOT NULL CHECK (status IN ('pending_auth', 'active', 'needs_reauth', 'revoked')),
    display_name     text        NOT NULL,
    slug             text        NOT NULL,
    shared           boolean     NOT NULL DEFAULT false,
    -- space-separated, as in OAuth; granted is null until the provider answered
    requested_scopes text        NOT NULL DEFAULT '',
    granted_scopes   text,
    error_code       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    connected_at     timestamptz,
    CONSTRAINT auth_profiles_slug_per_org UNIQUE (org_id, slug)
);

-- At most one pending oauth_account profile per (org, connector, provider, creating user):
-- keyed on the user so two members of one org can connect the same connector in parallel.
CREATE UNIQUE INDEX auth_profiles_one_pending_per_user
    ON auth_profiles (org_id, connector_key, provider_key, created_by)
    WHERE status = 'pending_auth' AND kind = 'oauth_account';

CREATE INDEX auth_profiles_org ON auth_profiles (org_id, created_at);
CREATE INDEX auth_profiles_created_by ON auth_profiles (created_by);

-- Secrets of oauth_app (client secret) and api_key profiles, AES-GCM encrypted;
-- key_id names the key so keys can rotate.
CREATE TABLE auth_profile_secrets (
    auth_profile_id uuid  PRIMARY KEY REFERENCES auth_profiles (id) ON DELETE CASCADE,
    client_id       text,
    ciphertext      bytea NOT NULL,
    key_id          text  NOT NULL
);

-- One-time, short-lived links that start the connect flow; only the SHA-256 of the token is kept.
CREATE TABLE connect_tokens (
    token_hash      text        PRIMARY KEY,
    auth_profile_id uuid        NOT NULL REFERENCES auth_profiles (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connect_tokens_profile ON connect_tokens (auth_profile_id);
CREATE INDEX connect_tokens_user ON connect_tokens (user_id);

-- OAuth state of a redirect to a provider: bound to the profile and the user, one-time.
CREATE TABLE connect_states (
    state_hash       text        PRIMARY KEY,
    auth_profile_id  uuid        NOT NULL REFERENCES auth_profiles (id) ON DELETE CASCADE,
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_key     text        NOT NULL,
    redirect_uri     text        NOT NULL,
    requested_scopes text        NOT NULL DEFAULT '',
    -- PKCE verifier (RFC 7636): useless without the code, which only the provider hands out;
    -- the row (and so the verifier) is deleted by the cleanup job an hour after it expired
    code_verifier    text,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connect_states_profile ON connect_states (auth_profile_id);
CREATE INDEX connect_states_user ON connect_states (user_id);
