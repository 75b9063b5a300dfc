-- Set-up for the pgbench scripts: psql -v dir=<bench/workloads> -f setup.sql
-- (scripts/bench.sh runs it in a throwaway cluster).
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS thaiyyal;
DROP TABLE IF EXISTS payloads;
CREATE TABLE payloads (name text PRIMARY KEY, body jsonb NOT NULL);
\set f :dir '/SIMPLE.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('SIMPLE', :'body');
\set f :dir '/COMPLEX.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('COMPLEX', :'body');
\set f :dir '/LARGE100.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('LARGE100', :'body');
\set f :dir '/BRANCHY.json'
\set body `cat :f`
INSERT INTO payloads VALUES ('BRANCHY', :'body');
-- Every payload must run before it is measured.
SELECT name, thaiyyal_execute(body) ? 'final_output' AS runs FROM payloads ORDER BY name;
SELECT thaiyyal.save_workflow(name, body) FROM payloads WHERE name = 'COMPLEX';
SELECT thaiyyal.run('COMPLEX') ? 'final_output' AS stored_run;
VACUUM ANALYZE payloads;
