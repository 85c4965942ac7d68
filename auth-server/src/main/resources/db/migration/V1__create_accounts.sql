-- Tenants and people. Every foreign key to users or orgs cascades: deleting a user (or an
-- org) removes everything that belongs to them in this schema (SPEC §3.7).
CREATE TABLE orgs (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One org per user for now; the role lives in memberships so more orgs can come later.
CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    email          text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_uq ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id);

CREATE TABLE memberships (
    org_id   uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Failed sign-ins per account and per address, to slow down guessing.
CREATE TABLE login_throttle (
    key           text        PRIMARY KEY,
    failures      int         NOT NULL,
    locked_until  timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
