-- The floor: one round trip returning the same jsonb (pgbench -D name=<WORKLOAD>).
SELECT body FROM payloads WHERE name = :name;
