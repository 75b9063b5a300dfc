--
-- Cancellation: statement_timeout interrupts a running workflow (here a long
-- delay node) with PostgreSQL's own error, SQLSTATE 57014, and the backend
-- stays usable.
--
SET statement_timeout = '200ms';
SELECT thaiyyal_execute('{"nodes": [{"id": "wait", "type": "delay", "data": {"duration": "30s"}}]}');
RESET statement_timeout;
SELECT 'still alive' AS backend;

-- The same, caught by SQLSTATE to show it (query_canceled is not part of
-- WHEN OTHERS; it must be named).
SET statement_timeout = '200ms';
DO $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  PERFORM thaiyyal_execute('{"nodes": [{"id": "wait", "type": "delay", "data": {"duration": "30s"}}]}');
EXCEPTION WHEN query_canceled THEN
  RAISE NOTICE 'SQLSTATE %: % (after less than 5s: %)', SQLSTATE, SQLERRM,
    clock_timestamp() - started < interval '5 seconds';
END
$$;
RESET statement_timeout;

-- A long chain of nodes is interrupted between nodes as well.
SET statement_timeout = '300ms';
SELECT thaiyyal_execute(jsonb_build_object('nodes',
  (SELECT jsonb_agg(jsonb_build_object('id', 'd' || i, 'type', 'delay',
                                       'data', jsonb_build_object('duration', '50ms')))
   FROM generate_series(1, 100) AS i)));
RESET statement_timeout;

-- Nothing is left behind: the next call works normally.
SELECT thaiyyal_execute('{"nodes": [{"id": "wait", "type": "delay", "data": {"duration": "10ms"}}]}')
       -> 'final_output' AS final_output;
