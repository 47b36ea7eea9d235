"""``/_sim/...``: the test controls (no auth; the server only listens on loopback).

Faults, the rate limiter, webhook faults, storefront orders, stock drift, seeding and
the delivery log, for tests that drive the simulator over HTTP (another process).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tillflow_simulators.common.chaos import FaultRule, RateLimiter
from tillflow_simulators.woocommerce import shapes, storefront
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.web import Shop, error_response, read_json

CONTROL_PREFIX = "/_sim"
WEBHOOK_FAULT_FIELDS = (
    "drop",
    "duplicate",
    "reorder",
    "drop_rate",
    "duplicate_rate",
    "reorder_rate",
)


async def _body(request: Request) -> tuple[Shop, dict[str, Any]]:
    return request.app.state.shop, dict(await read_json(request))


async def add_fault(request: Request) -> Response:
    shop, body = await _body(request)
    fields = ("status", "count", "delay", "path_prefix", "method", "retry_after")
    rule = FaultRule(**{name: body[name] for name in fields if name in body})
    shop.controls.faults.add(rule)
    return JSONResponse(asdict(rule), status_code=201)


async def clear_faults(request: Request) -> Response:
    shop: Shop = request.app.state.shop
    shop.controls.faults.clear()
    return Response(status_code=204)


async def set_rate_limit(request: Request) -> Response:
    shop, body = await _body(request)
    try:
        shop.controls.limiter = RateLimiter(
            rate=float(body.get("rate", 0)), burst=int(body.get("burst", 1))
        )
    except ValueError as exc:
        return error_response(WooError("tillflow_simulator_invalid", str(exc), 400))
    return JSONResponse({"rate": shop.controls.limiter.rate, "burst": shop.controls.limiter.burst})


async def clear_rate_limit(request: Request) -> Response:
    shop: Shop = request.app.state.shop
    shop.controls.limiter = None
    return Response(status_code=204)


async def set_webhook_faults(request: Request) -> Response:
    shop, body = await _body(request)
    faults = shop.dispatch.sender.faults
    for name in WEBHOOK_FAULT_FIELDS:
        if name in body:
            setattr(faults, name, type(getattr(faults, name))(body[name]))
    return JSONResponse({name: getattr(faults, name) for name in WEBHOOK_FAULT_FIELDS})


async def place_order(request: Request) -> Response:
    shop, body = await _body(request)
    lines = [
        (str(line["sku"]), int(line.get("quantity", 1))) for line in body.get("line_items", [])
    ]
    try:
        record = storefront.place_order(
            shop.state,
            lines,
            paid=bool(body.get("paid", True)),
            billing=body.get("billing"),
            customer_id=int(body.get("customer_id", 0)),
        )
    except WooError as error:
        return error_response(error)
    with shop.state.lock:
        return JSONResponse(shapes.order(shop.state, record), status_code=201)


async def set_stock(request: Request) -> Response:
    shop, body = await _body(request)
    try:
        storefront.set_stock(
            shop.state,
            str(body["sku"]),
            int(body["stock_quantity"]),
            announce=bool(body.get("announce", False)),
        )
    except WooError as error:
        return error_response(error)
    return JSONResponse({"sku": body["sku"], "stock_quantity": int(body["stock_quantity"])})


async def seed(request: Request) -> Response:
    shop, body = await _body(request)
    created = storefront.seed_products(shop.state, int(body.get("count", 1)))
    with shop.state.lock:
        return JSONResponse([shapes.product(shop.state, p) for p in created], status_code=201)


async def deliveries(request: Request) -> Response:
    shop: Shop = request.app.state.shop
    return JSONResponse([asdict(attempt) for attempt in shop.dispatch.sender.attempts])


ROUTES = [
    Route(f"{CONTROL_PREFIX}/faults", add_fault, methods=["POST"]),
    Route(f"{CONTROL_PREFIX}/faults", clear_faults, methods=["DELETE"]),
    Route(f"{CONTROL_PREFIX}/rate-limit", set_rate_limit, methods=["PUT"]),
    Route(f"{CONTROL_PREFIX}/rate-limit", clear_rate_limit, methods=["DELETE"]),
    Route(f"{CONTROL_PREFIX}/webhook-faults", set_webhook_faults, methods=["PUT"]),
    Route(f"{CONTROL_PREFIX}/orders", place_order, methods=["POST"]),
    Route(f"{CONTROL_PREFIX}/stock", set_stock, methods=["PUT"]),
    Route(f"{CONTROL_PREFIX}/seed", seed, methods=["POST"]),
    Route(f"{CONTROL_PREFIX}/deliveries", deliveries, methods=["GET"]),
]
