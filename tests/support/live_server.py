"""A real HTTP server on loopback, for tests with concurrent clients."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from tillflow_simulators.common.server import BackgroundServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` from a background thread; yields its base URL."""
    with BackgroundServer(app) as server:
        yield server.url
