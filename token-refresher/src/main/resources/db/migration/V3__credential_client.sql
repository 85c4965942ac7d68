-- The OAuth client a credential was obtained with (the org's own app or the deployment's). Refresh
-- asks auth-server for exactly that client, so adding or changing an org app never makes older
-- connections refresh with a client that did not issue their tokens. NULL for rows stored before
-- this column existed: they use the org's current client, as before.
ALTER TABLE credentials ADD COLUMN client_id text;
