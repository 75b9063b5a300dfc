-- thaiyyal.run of the stored COMPLEX workflow: one recorded run per call.
SELECT thaiyyal.run('COMPLEX');
