-- The floor of the cache-miss row: the same jsonb as execute_miss.sql, its
-- first node's value replaced by a random number on every call.
\set r random(1, 1000000000)
SELECT jsonb_set(body, '{nodes,0,data,value}', to_jsonb(:r::bigint)) FROM payloads WHERE name = :name;
