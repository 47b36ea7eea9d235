"""The simulated Xero's HTTP face: the Accounting API, identity and connections on one host.

| path | Xero's host |
|---|---|
| ``/api.xro/2.0/...`` | ``api.xero.com`` |
| ``/connections``, ``/connections/{id}`` | ``api.xero.com`` |
| ``/identity/connect/authorize`` | ``login.xero.com`` |
| ``/connect/token``, ``/connect/revocation`` | ``identity.xero.com`` |
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tillflow_simulators.common.chaos import ChaosMiddleware
from tillflow_simulators.xero.accounting import PREFIX, AccountingApi
from tillflow_simulators.xero.errors import GatewayRefusal
from tillflow_simulators.xero.state import XeroState

TITLES = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
          503: "Service Unavailable", 504: "Gateway Timeout"}


def _fault(status: int, retry_after: int | None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if status == 429:
        headers["X-Rate-Limit-Problem"] = "minute"
    title = TITLES.get(status, "Error")
    return GatewayRefusal(status, title, title, headers).response()


def build_app(state: XeroState) -> ASGIApp:
    api = AccountingApi(state)
    identity = state.identity

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(state.webhooks.sender.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = Starlette(routes=[
        Route(PREFIX + "/{path:path}", api.handle, methods=["GET", "PUT", "POST", "DELETE"]),
        Route("/connections", identity.list_connections, methods=["GET"]),
        Route("/Connections", identity.list_connections, methods=["GET"]),
        Route("/connections/{id}", identity.delete_connection, methods=["DELETE"]),
        Route("/Connections/{id}", identity.delete_connection, methods=["DELETE"]),
        Route("/identity/connect/authorize", identity.authorize, methods=["GET"]),
        Route("/connect/token", identity.token, methods=["POST"]),
        Route("/connect/revocation", identity.revoke, methods=["POST"]),
    ], lifespan=lifespan)
    return ChaosMiddleware(app, controls=state.controls,
                           applies_to=lambda path: path.startswith((PREFIX, "/connect")),
                           error_response=_fault)
