-- Grants to revoke at the provider (RFC 7009) because their connection or user was deleted.
-- Written in the transaction that deletes the credential, tried by a replica-safe job (best
-- effort, a few attempts), and recorded: outcome and done_at stay for a week for the operator;
-- the token ciphertext is cleared as soon as the row is done. No column names the user.
CREATE TABLE provider_revocations (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    auth_profile_id  uuid        NOT NULL,
    org_id           uuid        NOT NULL,
    provider_key     text        NOT NULL,
    client_id        text,
    key_id           text        NOT NULL,
    token_ct         bytea,
    token_type_hint  text        NOT NULL CHECK (token_type_hint IN ('refresh_token', 'access_token')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt     timestamptz NOT NULL DEFAULT now(),
    outcome          text        CHECK (outcome IN ('revoked', 'refused', 'failed', 'unsupported', 'undecryptable')),
    done_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_revocations_due_idx ON provider_revocations (next_attempt) WHERE done_at IS NULL;
