-- A queued run of the stored SIMPLE workflow, and waiting for its result
-- (two transactions: a run cannot be waited for in the transaction that
-- queued it).
SELECT thaiyyal.enqueue('SIMPLE') AS run_id \gset
SELECT thaiyyal.wait(:run_id, '60 s') ->> 'status';
