-- Per-connection values a provider's URLs need (Zendesk's subdomain, a Shopify shop, a Salesforce
-- My Domain): given when the profile is created, filled into the catalog URL templates by the
-- connect flow. An empty object for every provider with fixed URLs.
ALTER TABLE auth_profiles ADD COLUMN connection_params jsonb NOT NULL DEFAULT '{}';
