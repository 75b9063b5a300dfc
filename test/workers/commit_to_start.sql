-- 100 runs of the workflow 'small', queued one at a time: each enqueue is
-- committed, its commit time noted in commit_times (run_id, committed_at),
-- and the run waited for before the next. The time from committed_at to
-- runs.started_at is the commit-to-start latency (test/workers/run.sh,
-- scripts/bench_queue.sh). Run as the queuing role, outside a transaction.
DO $$
DECLARE
  id bigint;
BEGIN
  FOR i IN 1..100 LOOP
    id := thaiyyal.enqueue('small');
    INSERT INTO commit_times VALUES (id, clock_timestamp());
    COMMIT;
    PERFORM thaiyyal.wait(id, '10 s');
  END LOOP;
END
$$
