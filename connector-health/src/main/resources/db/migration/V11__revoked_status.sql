-- 'revoked': the user (or an admin) took the grant back at the provider, or uninstalled the app.
-- Like needs_reauth only a reconnect helps, but the cause is known and the copy says so.
ALTER TABLE connector_health DROP CONSTRAINT connector_health_status_check;
ALTER TABLE connector_health ADD CONSTRAINT connector_health_status_check
    CHECK (status IN ('connected', 'needs_reauth', 'revoked', 'disabled'));
ALTER TABLE connector_health DROP CONSTRAINT connector_health_previous_status_check;
ALTER TABLE connector_health ADD CONSTRAINT connector_health_previous_status_check
    CHECK (previous_status IN ('connected', 'needs_reauth', 'revoked', 'disabled'));
ALTER TABLE connector_health_history DROP CONSTRAINT connector_health_history_to_status_check;
ALTER TABLE connector_health_history ADD CONSTRAINT connector_health_history_to_status_check
    CHECK (to_status IN ('connected', 'needs_reauth', 'revoked', 'disabled'));
