"""A webhook receiver for tests and demos: records every POST on loopback.

It answers 200 unless told to answer with other statuses first, so tests can make a
simulator's deliveries fail and watch the retries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tillflow_simulators.common.server import BackgroundServer


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookRecorder:
    """Serves ``POST /{any path}`` on 127.0.0.1 and keeps what arrived, in order."""

    def __init__(self) -> None:
        self._received: list[ReceivedRequest] = []
        self._statuses: list[int] = []
        self._changed = threading.Condition()
        app = Starlette(routes=[Route("/{path:path}", self._record, methods=["POST"])])
        self._server = BackgroundServer(app)

    def start(self) -> WebhookRecorder:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> WebhookRecorder:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def url(self, path: str = "hook") -> str:
        return f"{self._server.url}/{path.lstrip('/')}"

    def answer_next(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, then 200 again."""
        with self._changed:
            self._statuses.extend(statuses)

    @property
    def received(self) -> list[ReceivedRequest]:
        with self._changed:
            return list(self._received)

    def wait_until(
        self, predicate: Callable[[list[ReceivedRequest]], bool], *, timeout: float = 5.0
    ) -> list[ReceivedRequest]:
        """The requests so far, once ``predicate`` holds for them (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self._received):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return list(self._received)

    def wait_for(self, count: int, *, timeout: float = 5.0) -> list[ReceivedRequest]:
        return self.wait_until(lambda got: len(got) >= count, timeout=timeout)

    async def _record(self, request: Request) -> Response:
        body = await request.body()
        with self._changed:
            self._received.append(ReceivedRequest(request.url.path, dict(request.headers), body))
            status = self._statuses.pop(0) if self._statuses else 200
            self._changed.notify_all()
        return PlainTextResponse("ok", status_code=status)
