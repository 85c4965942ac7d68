-- The admin's view pages through an org's rows in (user_id, connector) order, keyset style, with
-- or without a status filter; each shape has an index whose order is the page order, so a page
-- is one index range scan that stops after `limit` rows, whatever the org's size. The status
-- index also answers the summary's counts by status and connector without touching the table.
-- The old (org_id) index is a prefix of the first and goes.
DROP INDEX IF EXISTS connector_health_org_idx;
CREATE INDEX connector_health_org_user_idx ON connector_health (org_id, user_id, connector);
CREATE INDEX connector_health_org_status_idx ON connector_health (org_id, status, user_id, connector);

-- A user's history newest first across all connectors (the (user_id, connector, id) index serves
-- one connector), and the retention job's "older than" scan.
CREATE INDEX connector_health_history_user_id_idx ON connector_health_history (user_id, id);
CREATE INDEX connector_health_history_recorded_idx ON connector_health_history (recorded_at);
