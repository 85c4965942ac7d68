-- The revocation list every service follows (GET /internal/revocations): what a signed access
-- token cannot show by itself. An entry names a token (jti), a token family (sid: every access
-- token issued from that refresh-token family) or a subject whose tokens issued before
-- not_before are void. An entry is useless once every token it could match has expired, so it
-- lives for the longest access-token lifetime plus a margin and the cleanup job deletes it.
-- id is the followers' cursor: writers take one advisory lock before inserting (see
-- RevocationLog), so ids become visible in increasing order and a cursor never skips an entry.
CREATE TABLE revocations (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('jti', 'sid', 'sub')),
    value       text        NOT NULL,
    not_before  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at  timestamptz NOT NULL,
    CHECK ((kind = 'sub') = (not_before IS NOT NULL))
);
CREATE INDEX revocations_expiry_idx ON revocations (expires_at);
