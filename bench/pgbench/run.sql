-- thaiyyal.run of a stored workflow (saved by setup.sql under the workload's
-- name); records a run row per call, so every transaction writes and commits.
SELECT thaiyyal.run(:name);
