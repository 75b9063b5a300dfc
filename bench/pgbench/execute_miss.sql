-- thaiyyal_execute of a payload that differs on every call (its first
-- node's value is random), so the payload plan cache never hits: decode,
-- compile and run every time. Baseline: baseline_miss.sql.
\set r random(1, 1000000000)
SELECT thaiyyal_execute(jsonb_set(body, '{nodes,0,data,value}', to_jsonb(:r::bigint)))
FROM payloads WHERE name = :name;
