-- Per-address sign-in limits count failures in a fixed window that starts with its first failure.
ALTER TABLE login_throttle ADD COLUMN window_started_at timestamptz NOT NULL DEFAULT now();

-- Browsers that signed in to an account before (a device cookie; only its SHA-256 is stored).
-- Sign-ins from such a browser are throttled on their own, not by failures others caused on the account.
CREATE TABLE known_devices (
    device_hash   text        NOT NULL,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (device_hash, user_id)
);
CREATE INDEX known_devices_user_id ON known_devices (user_id);
CREATE INDEX known_devices_expires_at ON known_devices (expires_at);
