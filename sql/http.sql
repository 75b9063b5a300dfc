--
-- The http node: its GUCs, the SSRF protections (every refusal happens
-- before any connection is attempted) and GETs against a loopback server.
--
-- The server is test/http_server.py, started here with COPY FROM PROGRAM
-- (needs superuser, which pg_regress has): it binds 127.0.0.1 on a free
-- port, prints the port, detaches, and stops on GET /shutdown (last step
-- below) or after 5 minutes without requests. Only 127.0.0.1 / ::1 are ever
-- contacted. Ports in messages are shown as PORT.
--
-- The server process runs it, as the database server's OS user, which may
-- not be able to read the checkout (a clone in root's home):
-- THAIYYAL_TEST_HELPERS names a directory holding a readable copy
-- (scripts/test.sh makes one; the Makefile's default is the checkout's
-- test/).
--
\getenv helpers THAIYYAL_TEST_HELPERS
\set server_cmd 'python3 ' :helpers '/http_server.py --daemon --idle 300'
CREATE TEMP TABLE http_server (port int);
COPY http_server FROM PROGRAM :'server_cmd';
SELECT set_config('regress.http_port', port::text, false) IS NOT NULL AS server_started
FROM http_server;

-- http_get(url): the http node's output as JSON text, or its error
-- (SQLSTATE and message). A url starting with '/' is a path on the server.
CREATE FUNCTION pg_temp.http_get(url text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  port text := current_setting('regress.http_port');
  state text;
  message text;
BEGIN
  IF url LIKE '/%' THEN
    url := 'http://127.0.0.1:' || port || url;
  END IF;
  url := replace(url, ':PORT', ':' || port);
  RETURN (thaiyyal_execute(jsonb_build_object('nodes', jsonb_build_array(
            jsonb_build_object('id', 'h', 'type', 'http', 'data', jsonb_build_object('url', url)))))
          -> 'final_output')::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
  RETURN 'ERROR ' || state || ': ' || replace(message, ':' || port, ':PORT');
END
$$;

-- Off by default (thaiyyal.http_enabled, the reference's AllowHTTP).
SELECT pg_temp.http_get('/text');
SHOW thaiyyal.http_enabled;

SET thaiyyal.http_enabled = on;

-- Localhost is blocked by default: addresses and names.
SELECT pg_temp.http_get('/text');
SELECT pg_temp.http_get('http://localhost:PORT/text');
SELECT pg_temp.http_get('http://[::1]:PORT/text');
SELECT pg_temp.http_get('http://0.0.0.0:PORT/text');

-- Private, link-local and cloud-metadata addresses (literal IPs: refused
-- without any network traffic).
SELECT pg_temp.http_get('http://10.0.0.1/internal');
SELECT pg_temp.http_get('http://172.16.5.4/');
SELECT pg_temp.http_get('http://192.168.1.1/admin');
SELECT pg_temp.http_get('http://[fd12::1]/');
SELECT pg_temp.http_get('http://169.254.1.1/');
SELECT pg_temp.http_get('http://[fe80::1]/');
-- 169.254.169.254 is link-local before it is cloud metadata.
SELECT pg_temp.http_get('http://169.254.169.254/latest/meta-data/');
SET thaiyyal.http_allow_link_local = on;
SELECT pg_temp.http_get('http://169.254.169.254/latest/meta-data/');
RESET thaiyyal.http_allow_link_local;
-- Metadata host names are refused by name, before DNS.
SELECT pg_temp.http_get('http://metadata.google.internal/computeMetadata/v1/');
SELECT pg_temp.http_get('http://Metadata.Azure.com/metadata/instance');

-- Schemes other than http and https.
SELECT pg_temp.http_get('ftp://example.com/file');
SELECT pg_temp.http_get('file:///etc/passwd');
SELECT pg_temp.http_get('gopher://example.com/');
-- Malformed URLs.
SELECT pg_temp.http_get('http:///no-host');
SELECT pg_temp.http_get('http://[::1');

-- Domain allow-list (exact host names, case-insensitive): checked first.
SET thaiyyal.http_allowed_domains = 'api.example.com, Data.Example.org';
SHOW thaiyyal.http_allowed_domains;
SELECT pg_temp.http_get('http://other.example.org/');
SELECT pg_temp.http_get('/text');
RESET thaiyyal.http_allowed_domains;

-- With thaiyyal.http_allow_localhost the loopback server can be reached.
SET thaiyyal.http_allow_localhost = on;
-- JSON bodies keep their number literals (json-number).
SELECT pg_temp.http_get('/json');
SELECT pg_temp.http_get('/json-vendor');
SELECT pg_temp.http_get('/untyped-json');
SELECT pg_temp.http_get('/text');
SELECT pg_temp.http_get('/untyped-text');
SELECT pg_temp.http_get('/bad-json');
SELECT pg_temp.http_get('http://localhost:PORT/text');
-- What the server sees: Go's client headers.
SELECT pg_temp.http_get('/echo-headers');
-- Non-2xx statuses.
SELECT pg_temp.http_get('/missing');
-- Redirects are followed, and every target is validated again.
SELECT pg_temp.http_get('/redirect');
SELECT pg_temp.http_get('/redirect-private');
SELECT pg_temp.http_get('/redirect-metadata');
SET thaiyyal.max_http_redirects = 3;
SELECT pg_temp.http_get('/redirect-loop');
RESET thaiyyal.max_http_redirects;
-- Response size limit.
SET thaiyyal.max_response_size = 1000;
SELECT pg_temp.http_get('/big');
SET thaiyyal.max_response_size = 4096;
SELECT length(pg_temp.http_get('/big'));
RESET thaiyyal.max_response_size;
-- Timeout.
SET thaiyyal.http_timeout = '300ms';
SELECT pg_temp.http_get('/slow');
RESET thaiyyal.http_timeout;

-- HTTP calls per run.
SET thaiyyal.max_http_calls = 1;
SELECT thaiyyal_execute(jsonb_build_object(
  'nodes', jsonb_build_array(
    jsonb_build_object('id', 'a', 'type', 'http',
                       'data', jsonb_build_object('url', 'http://127.0.0.1:' ||
                                                  current_setting('regress.http_port') || '/text')),
    jsonb_build_object('id', 'b', 'type', 'http',
                       'data', jsonb_build_object('url', 'http://127.0.0.1:' ||
                                                  current_setting('regress.http_port') || '/text'))),
  'edges', jsonb_build_array(jsonb_build_object('source', 'a', 'target', 'b'))));
RESET thaiyyal.max_http_calls;

-- A query cancel interrupts a slow request promptly (the request polls for
-- interrupts every 50 ms), and the backend stays usable.
SET thaiyyal.http_timeout = '30s';
SET statement_timeout = '300ms';
SELECT thaiyyal_execute(jsonb_build_object('nodes', jsonb_build_array(
  jsonb_build_object('id', 's', 'type', 'http',
                     'data', jsonb_build_object('url', 'http://127.0.0.1:' ||
                                                current_setting('regress.http_port') || '/slow')))));
DO $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  PERFORM thaiyyal_execute(jsonb_build_object('nodes', jsonb_build_array(
    jsonb_build_object('id', 's', 'type', 'http',
                       'data', jsonb_build_object('url', 'http://127.0.0.1:' ||
                                                  current_setting('regress.http_port') || '/slow')))));
EXCEPTION WHEN query_canceled THEN
  RAISE NOTICE 'SQLSTATE %: % (within 2s: %)', SQLSTATE, SQLERRM,
    clock_timestamp() - started < interval '2 seconds';
END
$$;
RESET statement_timeout;
RESET thaiyyal.http_timeout;
SELECT pg_temp.http_get('/text') AS still_works;

-- Stop the server.
SELECT pg_temp.http_get('/shutdown');
RESET thaiyyal.http_allow_localhost;
RESET thaiyyal.http_enabled;
