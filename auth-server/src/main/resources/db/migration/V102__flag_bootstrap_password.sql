-- The first owner created from the bootstrap settings signs in with a password that sits in a
-- deployment file; until they choose their own, the account is flagged (GET /api/me, member list).
ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
