"""A loopback HTTP proxy that can lose a response after the upstream server acted on it.

``drop_next(fragment)`` makes the next request whose path contains ``fragment`` (and whose
body contains ``body``, if given) reach the upstream server, which does the work, and then
closes the client's connection without an answer: the exact "timeout after the gateway
accepted" a payment must survive.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class DroppingProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self._drops: list[tuple[str, bytes]] = []
        self.dropped: list[str] = []
        self._lock = threading.Lock()

    def drop_next(self, fragment: str, *, body: str = "") -> None:
        with self._lock:
            self._drops.append((fragment, body.encode()))

    def should_drop(self, path: str, body: bytes) -> bool:
        with self._lock:
            for wanted in self._drops:
                if wanted[0] in path and wanted[1] in body:
                    self._drops.remove(wanted)
                    self.dropped.append(path)
                    return True
        return False


def _handler(proxy: DroppingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port,
                                                  timeout=10)
            try:
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in _HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                content = reply.read()
            finally:
                upstream.close()
            if proxy.should_drop(self.path, body or b""):
                self.close_connection = True
                return
            self.send_response(reply.status)
            for key, value in reply.getheaders():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def do_GET(self) -> None:
            self._forward()

        def do_POST(self) -> None:
            self._forward()

        def do_PUT(self) -> None:
            self._forward()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read what was dropped from ``proxy.dropped``."""

    return Handler


@contextmanager
def dropping_proxy(upstream: str) -> Iterator[tuple[DroppingProxy, str]]:
    """The proxy and its URL, serving on a free loopback port until the block ends."""
    proxy = DroppingProxy(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
