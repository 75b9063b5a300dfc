-- thaiyyal_execute of a stored payload (pgbench -D name=<WORKLOAD>).
SELECT thaiyyal_execute(body) FROM payloads WHERE name = :name;
