--
-- Non-UTF-8 databases: strings are converted between the database encoding
-- and the engine's UTF-8 on the way in and out.
--
\set regress_db :DBNAME
CREATE DATABASE thaiyyal_regress_latin1 ENCODING 'LATIN1' TEMPLATE template0
  LC_COLLATE 'C' LC_CTYPE 'C';
\c thaiyyal_regress_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION thaiyyal;
SELECT thaiyyal_execute('{"nodes": [
  {"id": "tëxt", "type": "text_input", "data": {"text": "héllo wörld"}},
  {"id": "up", "type": "text_operation", "data": {"text_op": "uppercase"}}],
  "edges": [{"source": "tëxt", "target": "up"}]}') - 'execution_id' AS result;
-- U+FFFD (from invalid UTF-8 made by camelcase) has no LATIN1 equivalent.
\set VERBOSITY terse
SELECT thaiyyal_execute('{"nodes": [
  {"id": "t", "type": "text_input", "data": {"text": "vital élan"}},
  {"id": "c", "type": "text_operation", "data": {"text_op": "camelcase"}}],
  "edges": [{"source": "t", "target": "c"}]}');
\set VERBOSITY default
\c :regress_db
DROP DATABASE thaiyyal_regress_latin1;
