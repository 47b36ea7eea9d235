"""The simulated QuickBooks Online's HTTP face, every Intuit host on one.

| path | Intuit's host |
|---|---|
| ``/v3/company/{realmId}/...`` | ``quickbooks.api.intuit.com`` |
| ``/connect/oauth2`` | ``appcenter.intuit.com`` |
| ``/oauth2/v1/tokens/bearer``, ``/oauth2/v1/tokens/revoke`` | ``oauth.platform.intuit.com`` |
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
from tillflow_simulators.quickbooks.errors import Fault, error, throttled
from tillflow_simulators.quickbooks.service import DataService
from tillflow_simulators.quickbooks.state import QboState

PREFIX = "/v3/company"


def _fault(status: int, retry_after: int | None) -> Response:
    if status == 429:
        return throttled().response("")
    kind = ("An application error has occurred while processing your request", "10000")
    return Fault([error(kind, f"System Failure Error: the service answered {status}")],
                 fault_type="SystemFault", status=status).response("")


def build_app(state: QboState) -> ASGIApp:
    service = DataService(state)
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
        Route(PREFIX + "/{realm}/{rest:path}", service.handle, methods=["GET", "POST"]),
        Route("/connect/oauth2", identity.authorize, methods=["GET"]),
        Route("/oauth2/v1/tokens/bearer", identity.token, methods=["POST"]),
        Route("/oauth2/v1/tokens/revoke", identity.revoke, methods=["POST"]),
    ], lifespan=lifespan)
    return ChaosMiddleware(app, controls=state.controls,
                           applies_to=lambda path: path.startswith((PREFIX, "/oauth2")),
                           error_response=_fault)
