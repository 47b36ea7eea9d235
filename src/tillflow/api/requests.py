"""What every request is held to before a route sees it.

- JSON bodies are read with orjson, which refuses what Python's reader lets through and no
  database can store (a lone UTF-16 surrogate) and nesting deeper than 1,024 levels: a
  422 ``validation_error`` instead of a failure further in.
- Paths and query strings may not hold NUL: PostgreSQL cannot compare a text with one, so
  a lookup would fail instead of finding nothing. (Other control characters pass: a GS1
  barcode carries its FNC1 separators as GS, ``%1D``.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import unquote_to_bytes

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from tillflow.api.errors import envelope


class _OrjsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            # orjson.JSONDecodeError is a json.JSONDecodeError: FastAPI answers it as 422.
            self._json = orjson.loads(await self.body())
        return self._json


class CheckedRoute(APIRoute):
    """A route whose JSON body is read by ``_OrjsonRequest``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            return await handler(_OrjsonRequest(request.scope, request.receive))

        return checked


class UrlTextCheck:
    """Refuse a path or query string holding NUL (422)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"].encode("utf-8", "surrogatepass")
            query = unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" "))
            for part, raw in (("path", path), ("query", query)):
                if b"\x00" in raw:
                    response = envelope(422, "validation_error", f"the {part} holds NUL",
                                        {"field": part})
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
