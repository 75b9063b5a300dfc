--
-- sql_batch at scale: 10,000 rows written by ONE node with ONE statement
--
\set SHOW_CONTEXT never
SET thaiyyal.tenant = 'regress_batch';

CREATE TABLE regress_batch (
  id int PRIMARY KEY,
  name text NOT NULL,
  qty int,
  tags text[],
  payload jsonb,
  updated timestamptz
);
-- Counts statements and rows written to the table.
CREATE TABLE regress_batch_audit (op text, statements int DEFAULT 0, rows int DEFAULT 0);
INSERT INTO regress_batch_audit (op) VALUES ('INSERT'), ('UPDATE');
CREATE FUNCTION regress_batch_count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE regress_batch_audit SET statements = statements + 1 WHERE op = TG_OP;
  RETURN NULL;
END $$;
CREATE FUNCTION regress_batch_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE regress_batch_audit SET rows = rows + 1 WHERE op = TG_OP;
  RETURN NULL;
END $$;
CREATE TRIGGER count_statements AFTER INSERT OR UPDATE ON regress_batch
  FOR EACH STATEMENT EXECUTE FUNCTION regress_batch_count_statement();
CREATE TRIGGER count_rows AFTER INSERT OR UPDATE ON regress_batch
  FOR EACH ROW EXECUTE FUNCTION regress_batch_count_row();

-- A stored import workflow: the run input is the array of rows.
SELECT thaiyyal.save_workflow('import', '{
  "nodes": [
    {"id": "rows", "type": "workflow_input"},
    {"id": "write", "type": "sql_batch",
     "data": {"table": "regress_batch", "mode": "upsert", "key": ["id"]}}],
  "edges": [{"source": "rows", "target": "write"}]}') > 0 AS saved;

-- 10,000 new rows.
SELECT thaiyyal.run('import', (
  SELECT jsonb_agg(jsonb_build_object(
           'id', g, 'name', 'item ' || g, 'qty', g % 7,
           'tags', jsonb_build_array('t' || g % 3, 'all'),
           'payload', jsonb_build_object('g', g, 'even', g % 2 = 0),
           'updated', '2024-05-01T00:00:00Z'))
  FROM generate_series(1, 10000) g)) -> 'final_output' AS result;
SELECT op, statements, rows FROM regress_batch_audit ORDER BY op;
SELECT count(*), sum(qty), count(DISTINCT name), min(id), max(id),
       count(*) FILTER (WHERE tags = '{t1,all}') AS t1,
       count(*) FILTER (WHERE (payload ->> 'even')::boolean) AS even,
       min(updated) = max(updated) AS same_time
FROM regress_batch;
SELECT * FROM regress_batch WHERE id IN (1, 10000) ORDER BY id;

-- 10,000 rows again as an upsert: 5,000 updates and 5,000 inserts, still
-- one statement.
UPDATE regress_batch_audit SET statements = 0, rows = 0;
SELECT thaiyyal.run('import', (
  SELECT jsonb_agg(jsonb_build_object('id', g, 'name', 'renamed ' || g, 'qty', 1))
  FROM generate_series(5001, 15000) g)) -> 'final_output' AS result;
SELECT op, statements, rows FROM regress_batch_audit ORDER BY op;
SELECT count(*) AS total, count(*) FILTER (WHERE name LIKE 'renamed %') AS renamed,
       count(*) FILTER (WHERE qty = 1 AND id > 10000 AND tags IS NULL) AS new_rows
FROM regress_batch;

-- Table to table: a sql_query reads 10,000 rows, an expression picks the
-- rows array, sql_batch updates by key in one statement.
CREATE TABLE regress_batch_copy (id int PRIMARY KEY, name text, qty int);
INSERT INTO regress_batch_copy SELECT id, NULL, 0 FROM regress_batch WHERE id <= 10000;
SELECT thaiyyal_execute('{
  "nodes": [
    {"id": "read", "type": "sql_query",
     "data": {"query": "SELECT id, name, qty + 100 AS qty FROM regress_batch WHERE id <= $1 ORDER BY id",
              "params": ["10000"]}},
    {"id": "rows", "type": "expression", "data": {"expression": "input.rows"}},
    {"id": "write", "type": "sql_batch",
     "data": {"table": "regress_batch_copy", "mode": "update", "key": ["id"]}}],
  "edges": [{"source": "read", "target": "rows"}, {"source": "rows", "target": "write"}]}')
  -> 'node_results' -> 'write' AS result;
SELECT count(*) AS updated, count(*) FILTER (WHERE qty >= 100) AS qty_changed,
       count(*) FILTER (WHERE name IS NULL) AS without_name
FROM regress_batch_copy;

-- A failing batch writes nothing (one statement, rolled back as a whole).
SELECT count(*) AS before FROM regress_batch;
DO $$
BEGIN
  PERFORM thaiyyal.run('import', (
    SELECT jsonb_agg(jsonb_build_object('id', g, 'name', CASE WHEN g = 29999 THEN NULL ELSE 'x' END))
    FROM generate_series(20001, 30000) g));
EXCEPTION WHEN SQLSTATE 'TH001' THEN
  RAISE NOTICE '%', SQLERRM;
END
$$;
SELECT count(*) AS after FROM regress_batch;

SELECT thaiyyal.drop_workflow('import');
RESET thaiyyal.tenant;
DROP TABLE regress_batch, regress_batch_audit, regress_batch_copy;
DROP FUNCTION regress_batch_count_statement(), regress_batch_count_row();
