#!/usr/bin/env python3
"""Loopback HTTP server with canned responses for the `http` regression test
(sql/http.sql), and a request counter per Idempotency-Key for the durable-runs
crash matrix (test/workers/durable.sh).

The test starts it from SQL with

    COPY <table> FROM PROGRAM 'python3 <repo>/test/http_server.py --daemon'

(superuser; the program runs on the database server's machine, as the
server's OS user). With --daemon the script binds 127.0.0.1 on a free port,
prints the port on stdout, detaches (double fork, stdio closed) and exits,
so COPY reads one line and returns while the server keeps running. The
server stops on GET /shutdown, after --idle seconds without a request, or
after --lifetime seconds in all, so an aborted test leaves nothing behind.

It binds the loopback interface only and never makes outgoing connections.
"""

import argparse
import http.server
import json
import os
import socket
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "thaiyyal-test"
    sys_version = ""

    def log_message(self, *args):  # quiet
        pass

    def reply(self, status, body=b"", content_type=None, headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):
        self.server.last_request = time.monotonic()
        path = self.path
        if path == "/json":
            self.reply(200, '{"id":7,"price":19.90,"big":12345678901234567890,"tags":["a","b"],"ok":true}',
                       "application/json")
        elif path == "/json-vendor":
            self.reply(200, '{"title":"problem","status":400}', "application/problem+json; charset=utf-8")
        elif path == "/text":
            self.reply(200, "hello from loopback", "text/plain; charset=utf-8")
        elif path == "/untyped-json":
            self.reply(200, ' [1, 2.50, {"k": null}]')
        elif path == "/untyped-text":
            self.reply(200, "{not json")
        elif path == "/bad-json":
            self.reply(200, "{not json", "application/json")
        elif path == "/echo-headers":
            headers = {k.lower(): v for k, v in self.headers.items() if k.lower() in ("user-agent", "accept-encoding")}
            self.reply(200, json.dumps(headers, sort_keys=True), "application/json")
        elif path == "/missing":
            self.reply(404, "not here", "text/plain")
        elif path == "/redirect":
            self.reply(302, headers=[("Location", "/text")])
        elif path == "/redirect-private":
            self.reply(302, headers=[("Location", "http://10.0.0.1/internal")])
        elif path == "/redirect-metadata":
            self.reply(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        elif path == "/redirect-loop":
            self.reply(302, headers=[("Location", "/redirect-loop")])
        elif path == "/big":
            self.reply(200, "x" * 4096, "text/plain")
        elif path == "/slow":
            time.sleep(3)
            self.reply(200, "late", "text/plain")
        elif path == "/count":
            # The durable-runs crash matrix (test/workers/durable.sh): counts
            # the requests of each Idempotency-Key.
            key = self.headers.get("Idempotency-Key", "")
            with self.server.counts_lock:
                seen = self.server.counts.get(key, 0) + 1
                self.server.counts[key] = seen
            self.reply(200, json.dumps({"key": key, "seen": seen}), "application/json")
        elif path == "/counts":
            with self.server.counts_lock:
                body = json.dumps(self.server.counts, sort_keys=True)
            self.reply(200, body, "application/json")
        elif path == "/shutdown":
            self.reply(200, "bye", "text/plain")
            threading.Thread(target=self.server.shutdown, daemon=True).start()
        else:
            self.reply(404, "", "text/plain")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = {}
        self.counts_lock = threading.Lock()


def watchdog(server, idle, lifetime):
    started = time.monotonic()
    while True:
        time.sleep(0.5)
        now = time.monotonic()
        if now - server.last_request > idle or now - started > lifetime:
            server.shutdown()
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--daemon", action="store_true")
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.last_request = time.monotonic()
    port = server.server_address[1]

    if args.daemon:
        sys.stdout.flush()
        if os.fork() > 0:
            # First parent: report the port once the grandchild is serving.
            print(port, flush=True)
            os._exit(0)
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
    else:
        print(port, flush=True)

    threading.Thread(target=watchdog, args=(server, args.idle, args.lifetime), daemon=True).start()
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()
