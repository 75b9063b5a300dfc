--
-- sql_query rows -> Values: the direct reader (extension/sql_nodes/row_values.*)
-- must give exactly what row_to_json + the engine's JSON parser gave (and
-- still give for the types it leaves to them). Every type it reads, with
-- edge values, through a workflow's Result; as an ordinary role.
--
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\i sql/include/try.psql

CREATE ROLE regress_sql_rows;
GRANT CREATE, USAGE ON SCHEMA public TO regress_sql_rows;
SET ROLE regress_sql_rows;

-- q(query): one sql_query node; its rows (the Result's final_output), or the
-- error.
CREATE FUNCTION pg_temp.q(query text) RETURNS text
LANGUAGE sql AS $$
  SELECT pg_temp.try(format('SELECT jsonb_pretty(thaiyyal_execute(%L) -> ''final_output'' -> ''rows'')',
    jsonb_build_object('nodes', jsonb_build_array(
      jsonb_build_object('id', 'q', 'type', 'sql_query', 'data', jsonb_build_object('query', query))),
      'edges', '[]'::jsonb)))
$$;

-- Numbers: integers exact (beyond 2^53 rounded as the parser rounds their
-- digits), floats as their output text reads, numeric scale dropped, NaN
-- and infinities as strings, numerics beyond the double range as strings of
-- their digits, below it zero.
SELECT pg_temp.q($$SELECT true AS t, false AS f, (-32768)::int2 AS i2min, 32767::int2 AS i2max,
  (-2147483648)::int4 AS i4min, 2147483647::int4 AS i4max,
  (-9223372036854775808)::int8 AS i8min, 9223372036854775807::int8 AS i8max,
  9007199254740993::int8 AS i8odd, 999999999999999::int8 AS i8_15digits$$);
SELECT pg_temp.q($$SELECT 0.1::float4 AS f4, 3.4e38::float4 AS f4max, 1e-45::float4 AS f4tiny,
  '-0'::float4 AS f4negzero, 'NaN'::float4 AS f4nan, '-Infinity'::float4 AS f4neginf,
  0.1::float8 AS f8, 1e15::float8 AS f8e15, 123456789012345::float8 AS f8int,
  1e-5::float8 AS f8small, 1.7976931348623157e308::float8 AS f8max, 5e-324::float8 AS f8tiny,
  '-0'::float8 AS f8negzero, 'NaN'::float8 AS f8nan, 'Infinity'::float8 AS f8inf$$);
SELECT pg_temp.q($$SELECT 1.50::numeric AS n1, 100.00::numeric(10, 2) AS n2, 0::numeric AS zero,
  (-0.0)::numeric AS negzero, 123456789012345678901234567890::numeric AS big,
  ('1' || repeat('0', 400))::numeric AS huge, ('-0.' || repeat('0', 400) || '1')::numeric AS tiny,
  'NaN'::numeric AS nan, '-Infinity'::numeric AS neginf, 0.1::numeric AS tenth$$);
-- extra_float_digits changes float output, hence the values (as row_to_json's).
SET extra_float_digits = 0;
SELECT pg_temp.q($$SELECT 0.1::float8 + 0.2::float8 AS f8, 0.1::float4 AS f4$$);
RESET extra_float_digits;
SELECT pg_temp.q($$SELECT 0.1::float8 + 0.2::float8 AS f8$$);

-- Strings: bytes as stored (bpchar keeps its padding), escapes and
-- non-ASCII as the parser decodes them.
SELECT pg_temp.q($$SELECT 'plain'::text AS t, 'ab'::char(5) AS bp, 'x'::varchar(3) AS vc,
  'pg_class'::name AS nm, E'tab\there "q" back\\slash' AS esc, E'\x01\x1f\x7f' AS ctl,
  'héllo ✓ 😀' AS utf8, '' AS empty, repeat('long ', 10) AS long$$);

-- json as written (parsed: whitespace gone, the last duplicate key wins,
-- numbers as the parser reads them); jsonb as its text.
SELECT pg_temp.q($$SELECT '  {"b": [1, 2.50, -0, 1e400], "a": 1, "a": "dup"} '::json AS j,
  '"just a string"'::json AS js, 'null'::json AS jn,
  '{"b": [1, 2.50, 1e2], "a": {"x": null}, "s": "é\"\n"}'::jsonb AS jb,
  '12345678901234567890.5'::jsonb AS jbnum$$);
-- The depth limit counts the row's object (and a composite's) around it.
SELECT pg_temp.q(format('SELECT %L::json AS deep', repeat('[', 511) || repeat(']', 511))) IS NOT NULL
       AND pg_temp.q(format('SELECT %L::json AS deep', repeat('[', 511) || repeat(']', 511)))
           NOT LIKE 'ERROR%' AS depth_511_fits;
SELECT pg_temp.q(format('SELECT %L::json AS deep', repeat('[', 512) || repeat(']', 512)));
SELECT pg_temp.q(format('SELECT %L::jsonb AS deep', repeat('[', 512) || repeat(']', 512)));

-- NULLs, duplicate column names (the last wins), columns with no name.
SELECT pg_temp.q($$SELECT NULL::int AS a, NULL::text AS b, NULL::json AS c, NULL::jsonb AS d,
  NULL::numeric AS e, NULL::bool AS f$$);
SELECT pg_temp.q($$SELECT 1 AS x, 'two' AS x, 3 AS y, NULL AS y, 1 + 1, 'z'$$);
SELECT pg_temp.q($$SELECT FROM (VALUES (1)) v$$);

-- Domains as their base type; composites as objects (nested, NULL, with a
-- dropped attribute left out).
CREATE DOMAIN rows_posint AS int CHECK (VALUE > 0);
CREATE DOMAIN rows_label AS text;
CREATE TYPE rows_inner AS (n numeric, t text, gone int, j jsonb);
ALTER TYPE rows_inner DROP ATTRIBUTE gone;
CREATE TYPE rows_outer AS (id rows_posint, label rows_label, inner_value rows_inner, flag bool);
CREATE DOMAIN rows_outer_d AS rows_outer;
SELECT pg_temp.q($$SELECT 7::rows_posint AS d, 'lbl'::rows_label AS l,
  ROW(1, 'a', ROW(2.50, E'in\tner', '{"k": [true]}'), true)::rows_outer AS o,
  ROW(2, NULL, NULL, NULL)::rows_outer_d AS od, NULL::rows_outer AS onull$$);

-- Types left to row_to_json (the whole result takes that path): arrays,
-- timestamps, anonymous records, next to directly read ones.
SELECT pg_temp.q($$SELECT 1 AS i, ARRAY[1.50, NULL]::numeric[] AS arr,
  '2024-01-02 03:04:05.5+00'::timestamptz AS ts, ROW(1, 'x') AS rec, 'x'::text AS t$$);

-- Many rows.
SELECT pg_temp.q($$SELECT g AS id, 'item ' || g AS name, g / 4.0 AS price FROM generate_series(1, 3) g$$);

RESET ROLE;
-- The rows are counted against thaiyyal.sql_max_rows as before (a superuser
-- setting).
SET thaiyyal.sql_max_rows = 2;
SELECT pg_temp.q($$SELECT g FROM generate_series(1, 3) g$$);
RESET thaiyyal.sql_max_rows;

DROP FUNCTION pg_temp.q(text);
DROP DOMAIN rows_outer_d;
DROP TYPE rows_outer;
DROP TYPE rows_inner;
DROP DOMAIN rows_posint;
DROP DOMAIN rows_label;
REVOKE CREATE, USAGE ON SCHEMA public FROM regress_sql_rows;
DROP ROLE regress_sql_rows;
