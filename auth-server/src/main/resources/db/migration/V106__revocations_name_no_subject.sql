-- A subject's revocation entry carries the SHA-256 (hex) of the subject, never the user id or
-- client id itself: a deleted user's entry (which must outlive them until their last token
-- expires) then names nobody. Entries written before this change are converted.
UPDATE revocations SET value = encode(sha256(convert_to(value, 'UTF8')), 'hex') WHERE kind = 'sub';
