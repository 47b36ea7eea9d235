"""The HTTP surface: Magento's REST API under ``/rest``, behind injectable faults and an
optional rate limit."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from tillflow_simulators.common.chaos import ChaosControls, ChaosMiddleware
from tillflow_simulators.magento import faults
from tillflow_simulators.magento.rest import Request, RestApi

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


def create_app(api: RestApi, controls: ChaosControls) -> Starlette:
    async def rest(request: HttpRequest) -> Response:
        call = Request(
            method=request.method,
            path=request.url.path,
            url=str(request.url),
            query=request.url.query,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
        )
        # The store's work runs off the event loop: it takes the store's lock.
        answer = await asyncio.to_thread(api.handle, call)
        return Response(
            answer.text(), status_code=answer.status, media_type="application/json; charset=utf-8"
        )

    app = Starlette(routes=[Route("/rest/{path:path}", rest, methods=METHODS)])
    app.add_middleware(
        ChaosMiddleware,
        controls=controls,
        applies_to=lambda path: path.startswith("/rest/"),
        error_response=faults.error_response,
    )
    return app
