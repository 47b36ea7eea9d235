"""Run an ASGI app with uvicorn on loopback in a background thread.

The socket is bound before the thread starts, so asking for port 0 gives a free port
that is known (and already accepting connections) by the time ``start`` returns.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from tillflow_simulators.common.tls import Certificate


class ServerStartError(RuntimeError):
    """The server thread did not come up in time."""


class BackgroundServer:
    """One uvicorn server on ``host:port`` served from a daemon thread; over TLS when given
    a certificate. ``lifespan=False`` for a second server of an app whose lifespan
    another one runs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        certificate: Certificate | None = None,
        lifespan: bool = True,
    ) -> None:
        self._app = app
        self._host = host
        self._requested_port = port
        self._certificate = certificate
        self._lifespan = lifespan
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def requested_port(self) -> int:
        return self._requested_port

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the server is not started")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        scheme = "http" if self._certificate is None else "https"
        return f"{scheme}://{self._host}:{self.port}"

    def bind(self) -> None:
        """Reserve the socket (and so the port) without serving yet."""
        if self._socket is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        self._socket = sock

    def start(self, *, timeout: float = 10.0) -> None:
        self.bind()
        assert self._socket is not None
        tls = self._certificate
        config = uvicorn.Config(
            self._app,
            log_level="warning",
            access_log=False,
            lifespan="on" if self._lifespan else "off",
            http="h11",
            ws="none",
            server_header=False,
            ssl_certfile=None if tls is None else str(tls.certificate),
            ssl_keyfile=None if tls is None else str(tls.key),
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise ServerStartError(f"server on {self._host} did not start")
            time.sleep(0.01)

    def stop(self, *, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
