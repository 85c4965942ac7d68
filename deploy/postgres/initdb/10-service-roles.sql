-- One login role per service, each owning only its own schema; api-gateway has no database access.
-- The postgres image runs this once, when it initialises an empty data directory, as the superuser
-- named by POSTGRES_USER and with the container's environment (passwords come from there, never
-- from this file). Safe to run again: roles are created if missing and their passwords (re)set.
--   psql -v ON_ERROR_STOP=1 -d linkguard -f 10-service-roles.sql
\set ON_ERROR_STOP on
\getenv auth_password LINKGUARD_AUTH_DB_PASSWORD
\getenv refresher_password LINKGUARD_REFRESHER_DB_PASSWORD
\getenv health_password LINKGUARD_HEALTH_DB_PASSWORD
\if :{?auth_password}
\else
\set auth_password ''
\endif
\if :{?refresher_password}
\else
\set refresher_password ''
\endif
\if :{?health_password}
\else
\set health_password ''
\endif

-- refuse to create a role without a password (it could not sign in, and the service would fail later)
SELECT format('DO $d$BEGIN RAISE EXCEPTION %L; END$d$', v || ' must be set (at least 12 characters)')
  FROM (VALUES ('LINKGUARD_AUTH_DB_PASSWORD', :'auth_password'),
               ('LINKGUARD_REFRESHER_DB_PASSWORD', :'refresher_password'),
               ('LINKGUARD_HEALTH_DB_PASSWORD', :'health_password')) AS p(v, pw)
 WHERE length(pw) < 12
\gexec

SELECT format('CREATE ROLE %I LOGIN', r)
  FROM unnest(ARRAY['linkguard_auth', 'linkguard_refresher', 'linkguard_health']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec
SELECT format('ALTER ROLE linkguard_auth LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'auth_password')
\gexec
SELECT format('ALTER ROLE linkguard_refresher LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'refresher_password')
\gexec
SELECT format('ALTER ROLE linkguard_health LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'health_password')
\gexec

-- Each service migrates its schema with Flyway as that schema's owner; nobody else may use it.
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION linkguard_auth;
CREATE SCHEMA IF NOT EXISTS refresher AUTHORIZATION linkguard_refresher;
CREATE SCHEMA IF NOT EXISTS health AUTHORIZATION linkguard_health;
ALTER SCHEMA auth OWNER TO linkguard_auth;
ALTER SCHEMA refresher OWNER TO linkguard_refresher;
ALTER SCHEMA health OWNER TO linkguard_health;
REVOKE ALL ON SCHEMA auth, refresher, health FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Only the service roles (and the superuser) may connect to this database.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database())
\gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO linkguard_auth, linkguard_refresher, linkguard_health', current_database())
\gexec
