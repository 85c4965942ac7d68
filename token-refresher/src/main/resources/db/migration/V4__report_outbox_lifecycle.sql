-- Reports belong to their user: deleting the user deletes their queued reports, so one queued
-- before the deletion can never re-create the user's health rows. A report a service refuses for
-- good (4xx other than 401/429) or that fails for about a day becomes a dead letter (dead_at),
-- counted by the linkguard.outbox.dead gauge; delivered and dead rows are deleted after a week.
ALTER TABLE report_outbox ADD COLUMN user_id uuid;
ALTER TABLE report_outbox ADD COLUMN last_error text;
ALTER TABLE report_outbox ADD COLUMN dead_at timestamptz;
CREATE INDEX report_outbox_user_idx ON report_outbox (user_id);
DROP INDEX report_outbox_due_idx;
CREATE INDEX report_outbox_due_idx ON report_outbox (next_attempt) WHERE delivered_at IS NULL AND dead_at IS NULL;
