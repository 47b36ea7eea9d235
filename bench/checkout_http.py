"""A minimal keep-alive HTTP/1.1 connection for the load clients.

The load must cost the machine as little as possible, since it shares the cores with the
server and the database: httpx's async client measured about 1.8 ms of CPU per request
here, this one a small fraction of it. It speaks only what ``tillflow serve`` answers:
one request at a time, bodies with a Content-Length.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Self

HEADER_END = b"\r\n\r\n"


class ProtocolError(Exception):
    """The answer was not a complete HTTP/1.1 response with a Content-Length."""


class Connection:
    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self._address = (host, port)
        fixed = {"Host": f"{host}:{port}", **headers}
        self._fixed = "".join(f"{name}: {value}\r\n" for name, value in fixed.items())
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """Send one request and return the status and body; reconnects when needed.

        A failed exchange closes the connection (the next call opens a new one) and
        raises OSError, asyncio.IncompleteReadError or ProtocolError.
        """
        if self._streams is None:
            self._streams = await asyncio.open_connection(*self._address)
        reader, writer = self._streams
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        head = (f"POST {path} HTTP/1.1\r\n{self._fixed}{extra}"
                f"Content-Length: {len(body)}\r\n\r\n")
        try:
            writer.write(head.encode() + body)
            status, length, keep_alive = _parse_head(await reader.readuntil(HEADER_END))
            answer = await reader.readexactly(length)
        except BaseException:
            await self.close()
            raise
        if not keep_alive:
            await self.close()
        return status, answer

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):  # the peer may have gone first
                await writer.wait_closed()


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """Status, Content-Length and whether the server keeps the connection open."""
    status_line, *fields = head[:-len(HEADER_END)].decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"not an HTTP/1.1 status line: {status_line!r}")
    values = {}
    for field in fields:
        name, _, value = field.partition(":")
        values[name.strip().lower()] = value.strip()
    length = values.get("content-length", "")
    if not length.isdigit():
        raise ProtocolError("the response has no Content-Length")
    return int(parts[1]), int(length), values.get("connection", "").lower() != "close"
