--
-- sql_query and sql_batch nodes (through thaiyyal_execute)
--
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- try shows the result, or SQLSTATE, message, DETAIL and HINT of an error.
\i sql/include/try.psql

-- q(query, params, input): a workflow_input node feeding one sql_query node
-- {"query": query, "params": params}, run with the input; the node's output
-- or the error.
CREATE FUNCTION pg_temp.q(query text, params jsonb DEFAULT '[]', input jsonb DEFAULT NULL,
                          extra jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$
  SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L, %L) -> ''final_output''',
    jsonb_build_object(
      'nodes', jsonb_build_array(
        jsonb_build_object('id', 'in', 'type', 'workflow_input'),
        jsonb_build_object('id', 'q', 'type', 'sql_query',
                           'data', jsonb_build_object('query', query, 'params', params) || extra)),
      'edges', jsonb_build_array(jsonb_build_object('source', 'in', 'target', 'q'))),
    input))
$$;

-- b(table, mode, key, rows): one sql_batch node writing the rows given as
-- the run input; its output or the error.
CREATE FUNCTION pg_temp.b(tab text, mode text, key jsonb, rows jsonb) RETURNS text
LANGUAGE sql AS $$
  SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L, %L) -> ''final_output''',
    jsonb_build_object(
      'nodes', jsonb_build_array(
        jsonb_build_object('id', 'in', 'type', 'workflow_input'),
        jsonb_build_object('id', 'w', 'type', 'sql_batch',
                           'data', jsonb_build_object('table', tab, 'mode', mode, 'key', key))),
      'edges', jsonb_build_array(jsonb_build_object('source', 'in', 'target', 'w'))),
    rows))
$$;

CREATE TABLE regress_items (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  price numeric(10, 2),
  tags text[],
  meta jsonb,
  created timestamptz,
  active boolean DEFAULT true
);
INSERT INTO regress_items VALUES
  (1, 'apple', 1.25, '{fruit,red}', '{"origin": "NZ"}', '2024-01-02 03:04:05.123456+00', true),
  (2, 'bread', 3.5, '{bakery}', NULL, '2024-02-03 10:00:00+00', false),
  (3, 'cheese', 12, NULL, '{"aged": [12, "months"]}', NULL, true);

-- Rows come back as objects, count = rows returned.
SELECT pg_temp.q('SELECT * FROM regress_items ORDER BY id');
SELECT pg_temp.q('SELECT id, name FROM regress_items WHERE false');
-- Parameters are expressions over the node's input.
SELECT pg_temp.q('SELECT name, price FROM regress_items WHERE id = $1', '["input.id"]', '{"id": 2}');
SELECT pg_temp.q('SELECT name FROM regress_items WHERE price > $1 AND active = $2 ORDER BY id',
                 '["input.min", "input.active"]', '{"min": 1, "active": true}');
SELECT pg_temp.q('SELECT count(*) AS n FROM regress_items WHERE id = ANY($1)', '["input"]', '[1, 3, 99]');
SELECT pg_temp.q('SELECT name FROM regress_items WHERE created > $1', '["input.since"]',
                 '{"since": "2024-02-01T00:00:00Z"}');
SELECT pg_temp.q('SELECT name FROM regress_items WHERE tags && $1', '["input"]', '["red", "bakery"]');
SELECT pg_temp.q('SELECT $1 AS v', '["input.a * 2 + 1"]', '{"a": 20}');
SELECT pg_temp.q('SELECT $1::int + 1 AS v', '["input.a"]', '{"a": 20}');

-- Column types mapped to JSON.
SELECT pg_temp.q($$SELECT 1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8,
                          1.50::numeric AS num, 0.1::float8 AS f8, 'NaN'::float8 AS nan,
                          '-Infinity'::float8 AS ninf, 1e400::numeric AS huge,
                          true AS t, NULL::int AS n$$);
SELECT pg_temp.q($$SELECT '{"a": [1, {"b": null}]}'::jsonb AS jb, '{"z": 1, "a": 2}'::json AS j,
                          ARRAY[1, 2, NULL] AS arr, ARRAY[['a', 'b'], ['c', 'd']] AS arr2,
                          '{}'::int[] AS empty, ROW(1, 'x') AS rec$$);
SELECT pg_temp.q($$SELECT '2024-01-02 03:04:05.123456+00'::timestamptz AS tstz,
                          '2024-01-02 03:04:05'::timestamp AS ts, '2024-01-02'::date AS d,
                          '03:04:05'::time AS t, 'infinity'::timestamptz AS inf,
                          '1 day 02:00:00'::interval AS iv,
                          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,
                          '\x0102'::bytea AS bin, 'x y'::text AS txt, 'é'::varchar AS v$$);
-- Parameter types: from the statement, else from the value's kind.
SELECT pg_temp.q('SELECT pg_typeof($1)::text AS s, pg_typeof($2)::text AS n, pg_typeof($3)::text AS b,
                         pg_typeof($4)::text AS o, pg_typeof($5)::text AS a, pg_typeof($6)::text AS z',
                 '["input.s", "input.n", "input.b", "input.o", "input.a", "input.z"]',
                 '{"s": "x", "n": 1.5, "b": true, "o": {"k": 1}, "a": [1], "z": null}');
SELECT pg_temp.q('SELECT $1::jsonb AS o, $2::text AS s, $3::float8 AS f',
                 '["input.o", "input.o", "input.nan"]', '{"o": {"k": [1, "two"]}, "nan": 1}');

-- DML: count = rows affected; RETURNING rows come back too.
SELECT pg_temp.q('INSERT INTO regress_items (id, name, price) VALUES ($1, $2, $3)',
                 '["input.id", "input.name", "input.price"]', '{"id": 4, "name": "dates", "price": 7}');
SELECT pg_temp.q('UPDATE regress_items SET price = price * 2 WHERE id > $1 RETURNING id, price',
                 '["input"]', '2');
SELECT pg_temp.q('DELETE FROM regress_items WHERE id = $1', '["input"]', '4');
SELECT pg_temp.q('CREATE TEMP TABLE regress_tmp (x int)');
SELECT pg_temp.q('SELECT count(*) AS n FROM regress_tmp');

-- SQL errors become node errors: TH001 with the PostgreSQL message and the
-- SQLSTATE in DETAIL.
SELECT pg_temp.q('SELEC 1');
SELECT pg_temp.q('SELECT * FROM regress_no_such_table');
SELECT pg_temp.q('SELECT no_such_column FROM regress_items');
SELECT pg_temp.q('SELECT 1 / 0');
SELECT pg_temp.q('SELECT name FROM regress_items WHERE id = $1', '["input"]', '"abc"');
SELECT pg_temp.q('SELECT $1::int', '["input"]', '1.5');
SELECT pg_temp.q('INSERT INTO regress_items (id, name) VALUES (1, $1)', '["input"]', '"dup"');
SELECT pg_temp.q('SELECT $2', '["input"]', '1');
SELECT pg_temp.q('SELECT $1', '["input.a +"]', '{"a": 1}');
SELECT pg_temp.q('SELECT $1', '["nosuchvar.x"]', '{"a": 1}');
SELECT pg_temp.q('');
SELECT pg_temp.q('COMMIT');
SELECT pg_temp.q('COPY regress_items TO STDOUT');

-- The row limit: thaiyyal.sql_max_rows, or the node's max_rows (capped by
-- the parameter). Too many rows is an error, not a silent truncation.
SET thaiyyal.sql_max_rows = 3;
SELECT pg_temp.q('SELECT g FROM generate_series(1, 3) g');
SELECT pg_temp.q('SELECT g FROM generate_series(1, 100000) g');
SELECT pg_temp.q('SELECT g FROM generate_series(1, 5) g', '[]', NULL, '{"max_rows": 2}');
SELECT pg_temp.q('SELECT g FROM generate_series(1, 5) g', '[]', NULL, '{"max_rows": 50}');
-- DML with RETURNING beyond the limit fails as a whole (rolled back).
SET thaiyyal.sql_max_rows = 2;
SELECT pg_temp.q('UPDATE regress_items SET price = 0 RETURNING id');
SELECT count(*) AS zero_prices FROM regress_items WHERE price = 0;
-- Without RETURNING the limit does not apply to affected rows.
SELECT pg_temp.q('UPDATE regress_items SET active = active');
SET thaiyyal.sql_max_rows = 0;
SELECT pg_temp.q('SELECT count(*) AS n FROM (SELECT generate_series(1, 20000)) s');
RESET thaiyyal.sql_max_rows;

-- Read-only transactions are obeyed.
BEGIN TRANSACTION READ ONLY;
SELECT pg_temp.q('SELECT count(*) AS n FROM regress_items');
SELECT pg_temp.q('DELETE FROM regress_items');
ROLLBACK;
SELECT count(*) AS items FROM regress_items;

-- A failed statement is rolled back alone (its node's subtransaction), but
-- the run fails, so the caller's transaction decides about the rest: here
-- the earlier node's insert is undone by pg_temp.try's savepoint.
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [
    {"id": "a", "type": "sql_query", "data": {"query": "INSERT INTO regress_items (id, name) VALUES (10, ''ten'')"}},
    {"id": "b", "type": "sql_query", "data": {"query": "INSERT INTO regress_items (id, name) VALUES (10, ''again'')"}}],
  "edges": [{"source": "a", "target": "b"}]}')$$);
SELECT count(*) AS tens FROM regress_items WHERE id = 10;
-- Statements of one run see each other's writes.
SELECT thaiyyal_execute('{"nodes": [
    {"id": "a", "type": "sql_query", "data": {"query": "INSERT INTO regress_items (id, name) VALUES (11, ''eleven'')"}},
    {"id": "b", "type": "sql_query", "data": {"query": "SELECT name FROM regress_items WHERE id = 11"}}],
  "edges": [{"source": "a", "target": "b"}]}') -> 'final_output';
-- Query cancel is not a node error: statement_timeout stays 57014.
SET statement_timeout = '100ms';
SELECT pg_temp.q('SELECT pg_sleep(5)');
RESET statement_timeout;

-- Prepared statements are cached per statement text (and parameter kinds).
CREATE TEMP TABLE sql_stats AS SELECT sql_hits, sql_misses FROM thaiyyal.plan_cache_stats();
SELECT pg_temp.q('SELECT name FROM regress_items WHERE id = $1', '["input"]', to_jsonb(i))
FROM generate_series(1, 3) i;
SELECT s.sql_hits - o.sql_hits AS hits, s.sql_misses - o.sql_misses AS misses
FROM thaiyyal.plan_cache_stats() s, sql_stats o;
-- A plan survives DDL on its table (PostgreSQL re-plans it).
ALTER TABLE regress_items ADD COLUMN note text;
SELECT pg_temp.q('SELECT name FROM regress_items WHERE id = $1', '["input"]', '1');
ALTER TABLE regress_items DROP COLUMN note;

-- sql_batch: one set-based statement for the whole input array. Keys
-- missing from an object are NULL in that row (not the column default) when
-- other objects have them: "active" below.
SELECT pg_temp.b('regress_items', 'insert', '[]', '[
  {"id": 20, "name": "eggs", "price": 2.5, "tags": ["dairy"], "meta": {"dozen": true}},
  {"id": 21, "name": "flour", "created": "2024-03-01T12:00:00Z"},
  {"id": 22, "name": "grapes", "active": false}]');
SELECT id, name, price, tags, meta, created, active FROM regress_items WHERE id >= 20 ORDER BY id;
-- upsert by key: inserts new rows, updates existing ones.
SELECT pg_temp.b('regress_items', 'upsert', '["id"]', '[
  {"id": 20, "name": "eggs (free range)", "price": 3},
  {"id": 23, "name": "honey", "price": 8}]');
SELECT id, name, price FROM regress_items WHERE id >= 20 ORDER BY id;
-- update by key.
SELECT pg_temp.b('regress_items', 'update', '["id"]', '[
  {"id": 21, "price": 1.1}, {"id": 22, "price": 4.4, "active": true}, {"id": 99, "price": 0}]');
SELECT id, name, price, active FROM regress_items WHERE id IN (21, 22) ORDER BY id;
-- A schema-qualified and a quoted table name.
CREATE SCHEMA regress_other;
CREATE TABLE regress_other."Mixed Case" ("Key" int PRIMARY KEY, "Value" text);
SELECT pg_temp.b('regress_other."Mixed Case"', 'upsert', '["Key"]', '[{"Key": 1, "Value": "x"}, {"Key": 2}]');
SELECT pg_temp.b('regress_other."Mixed Case"', 'upsert', '["Key"]', '[{"Key": 1, "Value": "y"}]');
SELECT * FROM regress_other."Mixed Case" ORDER BY 1;
-- upsert with key columns only: DO NOTHING on conflict (count = rows inserted).
SELECT pg_temp.b('regress_other."Mixed Case"', 'upsert', '["Key"]', '[{"Key": 1}, {"Key": 3}]');
SELECT * FROM regress_other."Mixed Case" ORDER BY 1;
-- Empty input: nothing to write.
SELECT pg_temp.b('regress_items', 'insert', '[]', '[]');
-- Errors name what is at fault.
SELECT pg_temp.b('regress_no_such_table', 'insert', '[]', '[{"id": 1}]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{"id": 30, "name": "x", "colour": "red"}]');
SELECT pg_temp.b('regress_items', 'upsert', '["nope"]', '[{"id": 30, "name": "x"}]');
SELECT pg_temp.b('regress_items', 'update', '["id"]', '[{"name": "x"}]');
SELECT pg_temp.b('regress_items', 'update', '["id"]', '[{"id": 1}]');
SELECT pg_temp.b('regress_items', 'upsert', '[]', '[{"id": 1}]');
SELECT pg_temp.b('regress_items', 'merge', '["id"]', '[{"id": 1}]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{"id": 1, "name": "dup"}]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{"id": "abc", "name": "x"}]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{"id": 31}]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{"id": 32, "name": "x"}, 5]');
SELECT pg_temp.b('regress_items', 'insert', '[]', '{"id": 33}');
SELECT pg_temp.b('regress_items', 'insert', '[]', '[{}]');
SELECT pg_temp.b('regress_items_pkey', 'insert', '[]', '[{"id": 1}]');
SELECT pg_temp.b('bad name"', 'insert', '[]', '[{"id": 1}]');
SELECT pg_temp.b('regress_items', 'upsert', '["id"]', '[{"id": 40, "name": "a"}, {"id": 40, "name": "b"}]');
SELECT count(*) AS failed_batches_wrote FROM regress_items WHERE id >= 30;

-- Decode-time validation of the node data, as for every node type.
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [{"id": "q", "type": "sql_query", "data": {}}]}')$$);
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [{"id": "w", "type": "sql_batch", "data": {"mode": "insert"}}]}')$$);
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [{"id": "w", "type": "sql_batch", "data": {"table": "regress_items"}}]}')$$);

DROP SCHEMA regress_other CASCADE;
DROP TABLE regress_items;
