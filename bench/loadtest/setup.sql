-- Set-up of make loadtest (scripts/loadtest.sh), as the superuser, after
-- bench/pgbench/setup.sql (the payloads table). The load runs as the
-- ordinary role loadtest (queued runs may not be a superuser's), which stores
-- COMPLEX and SIMPLE in its own tenant.
\set ON_ERROR_STOP on
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loadtest') THEN
    CREATE ROLE loadtest LOGIN;
  END IF;
END $$;
GRANT SELECT ON payloads TO loadtest;
SET ROLE loadtest;
SELECT thaiyyal.save_workflow(name, body) > 0 AS saved
FROM payloads WHERE name IN ('COMPLEX', 'SIMPLE') ORDER BY name;
SELECT thaiyyal.run('COMPLEX') ? 'final_output' AS stored_run;
RESET ROLE;
