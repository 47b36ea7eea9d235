"""The Starlette application: REST routes, test controls, faults and webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from tillflow_simulators.common.chaos import ChaosMiddleware
from tillflow_simulators.woocommerce import (
    api_control,
    api_customers,
    api_orders,
    api_products,
    api_settings,
    api_webhooks,
)
from tillflow_simulators.woocommerce.errors import NO_ROUTE, critical_error
from tillflow_simulators.woocommerce.web import Shop, described_routes, error_response

_REASONS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def fault_response(status: int, retry_after: int | None) -> Response:
    """What a client sees from an injected fault: WordPress's own 500, a host's 429 or 5xx."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    if status == 500:
        body = {**critical_error().body(), "additional_errors": []}
        return JSONResponse(body, status_code=500, headers=headers)
    if status == 429:
        body = {
            "code": "rate_limited",
            "message": "Too many requests. Please wait and try again.",
            "data": {"status": 429},
        }
        return JSONResponse(body, status_code=429, headers=headers)
    reason = _REASONS.get(status, "Error")
    page = (
        f"<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1></body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=headers)


async def _no_route(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code not in (404, 405):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    return error_response(NO_ROUTE)


def build_app(shop: Shop) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(shop.dispatch.sender.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = Starlette(
        routes=[
            *api_products.ROUTES,
            *api_orders.ROUTES,
            *api_customers.ROUTES,
            *api_webhooks.ROUTES,
            *api_settings.ROUTES,
            *described_routes(),
            *api_control.ROUTES,
        ],
        middleware=[
            Middleware(
                ChaosMiddleware,
                controls=shop.controls,
                applies_to=lambda path: path.startswith("/wp-json/"),
                error_response=fault_response,
            )
        ],
        exception_handlers={HTTPException: _no_route},
        lifespan=lifespan,
    )
    app.state.shop = shop
    return app
