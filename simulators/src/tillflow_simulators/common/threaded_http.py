"""A standard-library HTTP server served from a background thread (for simulators that
need control of the raw connection, e.g. to drop a response after acting on it)."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class ServerThread:
    def __init__(self, server: ThreadingHTTPServer, *, name: str) -> None:
        self.server = server
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, name=name, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
