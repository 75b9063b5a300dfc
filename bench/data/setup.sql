-- make bench, data workflow (issue 14): the tables and the three ways of
-- doing the same work, timed side by side by scripts/bench_data.sh.
--
--   psql -v rows=100000 -f bench/data/setup.sql
--
-- The work: read every row of data_src, keep those with qty >= 50 (half),
-- reshape them to data_dst's columns (name upper-cased, total = price * qty)
-- and upsert them into data_dst by id. data_reset() gives every run the same
-- starting point: a quarter of the kept ids already present, so the upsert
-- both inserts and updates.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS thaiyyal;
DROP TABLE IF EXISTS data_src, data_dst CASCADE;
CREATE TABLE data_src (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL,
                       price numeric(10, 2) NOT NULL);
INSERT INTO data_src
SELECT g, 'item ' || g, g % 100, (g % 1000) / 10.0 FROM generate_series(1, :rows) g;
CREATE TABLE data_dst (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL,
                       total numeric NOT NULL);
VACUUM ANALYZE data_src;

CREATE OR REPLACE FUNCTION data_reset() RETURNS void LANGUAGE sql AS $$
  TRUNCATE data_dst;
  INSERT INTO data_dst SELECT id, 'old', 0, 0 FROM data_src WHERE qty >= 50 AND id % 4 = 0;
$$;

-- The workflow. sql_query returns each row's filter field and its target
-- shape: the expression language has no object literals (spec
-- expressions.md §3), so a map cannot build a row object itself; the
-- composite value (a data_dst row) arrives as an object and the map picks it
-- (field mode). The expression nodes take the arrays out of the nodes'
-- result objects ({"rows": …}, {"filtered": …}, {"results": …}).
CREATE OR REPLACE FUNCTION data_workflow() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT '{"workflow_id": "data_workflow", "nodes": [
    {"id": "read", "type": "sql_query",
     "data": {"query": "SELECT qty, (id, upper(name), qty, price * qty)::data_dst AS out FROM data_src"}},
    {"id": "rows", "type": "expression", "data": {"expression": "input.rows"}},
    {"id": "keep", "type": "filter", "data": {"condition": "item.qty >= 50"}},
    {"id": "kept", "type": "expression", "data": {"expression": "input.filtered"}},
    {"id": "shape", "type": "map", "data": {"field": "out"}},
    {"id": "shaped", "type": "expression", "data": {"expression": "input.results"}},
    {"id": "write", "type": "sql_batch", "data": {"table": "data_dst", "mode": "upsert", "key": ["id"]}}],
   "edges": [{"source": "read", "target": "rows"}, {"source": "rows", "target": "keep"},
             {"source": "keep", "target": "kept"}, {"source": "kept", "target": "shape"},
             {"source": "shape", "target": "shaped"}, {"source": "shaped", "target": "write"}]}'::jsonb
$$;

-- PostgreSQL's floor: one statement.
CREATE OR REPLACE FUNCTION data_floor() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  INSERT INTO data_dst (id, name, qty, total)
  SELECT id, upper(name), qty, price * qty FROM data_src WHERE qty >= 50
  ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, qty = EXCLUDED.qty, total = EXCLUDED.total;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

-- The row loop a PL/pgSQL programmer would write: every row read, tested and
-- upserted one by one.
CREATE OR REPLACE FUNCTION data_loop() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n bigint := 0;
BEGIN
  FOR r IN SELECT id, name, qty, price FROM data_src LOOP
    IF r.qty >= 50 THEN
      INSERT INTO data_dst (id, name, qty, total) VALUES (r.id, upper(r.name), r.qty, r.price * r.qty)
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, qty = EXCLUDED.qty, total = EXCLUDED.total;
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

-- Ours: the workflow through thaiyyal_execute; the count sql_batch wrote.
CREATE OR REPLACE FUNCTION data_thaiyyal() RETURNS bigint LANGUAGE sql AS $$
  SELECT (thaiyyal_execute(data_workflow()) #>> '{final_output,count}')::bigint
$$;

-- One timed call, in milliseconds of wall-clock time (the statement alone:
-- data_reset() runs before, as its own statement).
CREATE OR REPLACE FUNCTION data_time(fn text, OUT ms double precision, OUT written bigint)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  t0 := clock_timestamp();
  EXECUTE format('SELECT %I()', fn) INTO written;
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

-- What a run left in data_dst: the three ways must agree (scripts/bench_data.sh
-- compares them), or the timings compare different work. total is compared
-- rounded to its 2 decimals: through the workflow it travels as a JSON number,
-- which keeps the value (250) but not numeric's display scale (250.00).
CREATE OR REPLACE FUNCTION data_check() RETURNS text LANGUAGE sql AS $$
  SELECT count(*) || ' rows, md5 '
         || md5(string_agg(concat_ws('|', id, name, qty, round(total, 2)), ',' ORDER BY id))
  FROM data_dst
$$;
