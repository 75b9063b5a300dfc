-- Set-up of make loadtest (scripts/loadtest.sh), as the superuser:
-- psql -v dir=<bench/workloads> -f setup.sql. The load runs as the ordinary
-- role loadtest (queued runs may not be a superuser's), in its own tenant.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS thaiyyal;
DROP TABLE IF EXISTS payloads;
CREATE TABLE payloads (name text PRIMARY KEY, body jsonb NOT NULL);
\set f :dir '/COMPLEX.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('COMPLEX', :'body');
\set f :dir '/SIMPLE.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('SIMPLE', :'body');
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loadtest') THEN
    CREATE ROLE loadtest LOGIN;
  END IF;
END $$;
GRANT SELECT ON payloads TO loadtest;
SET ROLE loadtest;
SELECT thaiyyal.save_workflow(name, body) > 0 AS saved FROM payloads ORDER BY name;
SELECT thaiyyal.run('COMPLEX') ? 'final_output' AS stored_run;
RESET ROLE;
VACUUM ANALYZE payloads;
