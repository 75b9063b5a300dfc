-- thaiyyal_execute of the COMPLEX payload (plan cache hit).
SELECT thaiyyal_execute(body) FROM payloads WHERE name = 'COMPLEX';
