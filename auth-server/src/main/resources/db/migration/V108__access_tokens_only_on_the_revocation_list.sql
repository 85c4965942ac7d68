-- Access tokens no longer get a row each. A signed JWT carries everything it grants; what it
-- cannot show by itself (that it, its family or its subject was revoked) is on the revocation
-- list, which introspection and RFC 7009 revocation now use directly. Every revocation that
-- marked a row here also wrote a list entry, so nothing is lost by dropping the table; its
-- foreign key to clients also made every grant lock the client's row.
DROP TABLE access_tokens;

-- Introspection looks entries up by value (a jti, a family id, a subject digest).
CREATE INDEX revocations_value_idx ON revocations (value);
