"""Helpers for the accounting simulators' integration tests: small HTTP clients for the
Xero and QuickBooks Online simulators, and a webhook receiver that checks signatures."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sim_support.waiting import wait_until
from tillflow_simulators.common import jsonnum
from tillflow_simulators.common.oauth import TokenSet
from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.quickbooks import QuickBooksSimulator
from tillflow_simulators.xero import XeroSimulator


def _encoded(body: Any) -> bytes | None:
    """A request body with amounts written as the literals the test wrote (``3.35``, or
    ``Decimal("3.35")``), never through a float's binary value."""
    return None if body is None else jsonnum.dumps(_exact(body)).encode("utf-8")


def _exact(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


class XeroApi:
    """The Accounting API of a simulated Xero, as one connected app calls it."""

    def __init__(self, sim: XeroSimulator, tokens: TokenSet | None = None,
                 tenant_id: str | None = None) -> None:
        self.sim = sim
        self.tokens = tokens or sim.connect()
        self.tenant_id = tenant_id or sim.tenant_id

    def call(self, method: str, path: str, *, json: Any = None,
             params: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.request(method, f"{self.sim.api_url}{path}", content=_encoded(json),
                             params=params,
                             headers={**self.sim.headers(self.tokens, self.tenant_id),
                                      "Content-Type": "application/json", **(headers or {})},
                             timeout=10)

    def ok(self, method: str, path: str, **options: Any) -> dict[str, Any]:
        response = self.call(method, path, **options)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


class QboApi:
    """The data service of a simulated QuickBooks Online company, at minor version 75."""

    def __init__(self, sim: QuickBooksSimulator, tokens: TokenSet | None = None) -> None:
        self.sim = sim
        self.tokens = tokens or sim.connect()

    def call(self, method: str, path: str, *, json: Any = None,
             params: dict[str, str] | None = None) -> httpx.Response:
        return httpx.request(method, f"{self.sim.company_url()}{path}", content=_encoded(json),
                             params={"minorversion": "75", **(params or {})},
                             headers=self.sim.headers(self.tokens), timeout=10)

    def ok(self, method: str, path: str, **options: Any) -> dict[str, Any]:
        response = self.call(method, path, **options)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def query(self, text: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.ok("GET", "/query", params={"query": text})["QueryResponse"]
        return answer


class SigningReceiver:
    """A webhook endpoint that answers 200 to bodies signed with ``key`` under ``header``
    and 401 to the rest, as Xero's intent to receive expects; it keeps what it accepted."""

    def __init__(self, *, header: str, verify: Callable[[bytes, str, str], bool],
                 key: str) -> None:
        self.header, self.verify, self.key = header, verify, key
        self.accepted: list[tuple[dict[str, str], bytes]] = []
        self.refused = 0
        self._lock = threading.Lock()
        self._server = BackgroundServer(Starlette(routes=[
            Route("/hooks", self._receive, methods=["POST"])]))

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get(self.header, "")
        good = self.verify(body, self.key, signature)
        with self._lock:
            if good:
                self.accepted.append((dict(request.headers), body))
            else:
                self.refused += 1
        return Response(status_code=200 if good else 401)

    @property
    def url(self) -> str:
        return f"{self._server.url}/hooks"

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[tuple[dict[str, str], bytes]]:
        def arrived() -> list[tuple[dict[str, str], bytes]] | None:
            with self._lock:
                return list(self.accepted) if len(self.accepted) >= count else None

        return wait_until(arrived, timeout=timeout,
                          message=lambda: f"{count} signed deliveries never arrived; got "
                                          f"{len(self.accepted)}, refused {self.refused}")

    def __enter__(self) -> SigningReceiver:
        self._server.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.stop()
