-- The W3C trace context of the work that queued a report, so its delivery (later, from any
-- replica) continues the same trace: a worker's request → the refresh → the report to health.
ALTER TABLE report_outbox ADD COLUMN traceparent text;
