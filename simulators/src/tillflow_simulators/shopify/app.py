"""The simulator's HTTP surface: Shopify's GraphQL Admin endpoint and the ``/_sim`` controls."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tillflow_simulators.shopify import payloads, storage
from tillflow_simulators.shopify.core import SimulatedShop
from tillflow_simulators.shopify.orders import OrderError
from tillflow_simulators.shopify.schema import api_versions, served_version

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"  # noqa: S105
FAULT_RESPONSES: dict[str, tuple[int, str]] = {
    "429": (
        429,
        "Exceeded 2 calls per second for api client. Reduce request rates to resume "
        "uninterrupted service.",
    ),
    "500": (500, "Internal Server Error"),
    "502": (502, "Bad Gateway"),
    "503": (503, "Service Unavailable"),
    "504": (504, "Gateway Timeout"),
    "timeout": (504, "Gateway Timeout"),
}


def _errors(status: int, message: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": message}, status_code=status, headers=headers)


def create_app(shop: SimulatedShop) -> Starlette:
    async def graphql(request: Request) -> Response:
        version = served_version(request.path_params["version"], api_versions())
        if version is None:
            return _errors(404, "Not Found")
        token = request.headers.get("x-shopify-access-token")
        if token != shop.config.access_token:
            return _errors(401, INVALID_TOKEN)
        fault = shop.faults.next_api_fault()
        if fault == "timeout":
            await asyncio.sleep(shop.faults.api_timeout)
        if fault is not None and fault != "lost_response":
            status, message = FAULT_RESPONSES[fault]
            headers = {"Retry-After": "2.0"} if status == 429 else None
            return _errors(status, message, headers)
        body = await _graphql_body(request)
        if body is None:
            return _errors(400, {"query": "Required parameter missing or invalid"})
        result = shop.engine.run(
            query=body["query"],
            variables=body.get("variables"),
            operation_name=body.get("operationName"),
            version=version,
            origin=str(request.base_url).rstrip("/"),
        )
        if fault == "lost_response":
            await asyncio.sleep(shop.faults.api_timeout)
        return JSONResponse(result, headers={"X-Shopify-API-Version": version})

    routes = [
        Route("/admin/api/{version}/graphql.json", graphql, methods=["POST"]),
        *storage.routes(shop.bulk),
        *_control_routes(shop),
    ]
    return Starlette(routes=routes)


async def _graphql_body(request: Request) -> dict[str, Any] | None:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/graphql"):
        return {"query": raw.decode("utf-8")}
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return None
    return body


def _control_routes(shop: SimulatedShop) -> list[Route]:
    async def orders(request: Request) -> Response:
        body = await request.json()
        try:
            lines = [(line["sku"], int(line["quantity"])) for line in body["line_items"]]
            code = body.get("discount_code")
            order = shop.place_order(
                lines,
                customer=body.get("customer"),
                location=body.get("location_id"),
                allow_oversell=bool(body.get("allow_oversell")),
                note=body.get("note"),
                discount_code=(code["code"], code["type"], Decimal(str(code["value"])))
                if code else None,
                shipping=Decimal(str(body["shipping"])) if body.get("shipping") else None,
                gateway=str(body.get("gateway") or "shopify_payments"),
                financial_status=str(body.get("financial_status") or "PAID"),
            )
        except OrderError as exc:
            return _errors(422, {"line_items": [exc.message]})
        except (KeyError, TypeError, ValueError) as exc:
            return _errors(422, {"line_items": [f"invalid line items: {exc}"]})
        return JSONResponse({"order": payloads.order(order)}, status_code=201)

    async def cancel(request: Request) -> Response:
        body = await _optional_json(request)
        try:
            order = shop.cancel_order(
                int(request.path_params["order_id"]),
                restock=bool(body.get("restock", True)),
                reason=str(body.get("reason", "customer")).upper(),
            )
        except OrderError as exc:
            return _errors(422, {"base": [exc.message]})
        return JSONResponse({"order": payloads.order(order)})

    async def paid(request: Request) -> Response:
        try:
            order = shop.mark_as_paid(int(request.path_params["order_id"]))
        except OrderError as exc:
            return _errors(422, {"base": [exc.message]})
        return JSONResponse({"order": payloads.order(order)})

    async def inventory(request: Request) -> Response:
        body = await request.json()
        try:
            shop.set_stock(
                body["sku"],
                int(body["available"]),
                location=body.get("location_id"),
                notify=bool(body.get("notify", False)),
            )
        except KeyError as exc:
            return _errors(404, f"unknown SKU or location: {exc}")
        return JSONResponse({"sku": body["sku"], "available": shop.available(body["sku"])})

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            shop.faults.reset()
        elif request.method == "POST":
            body = await request.json()
            try:
                shop.faults.configure(api=body.get("api"), webhooks=body.get("webhooks"))
            except (TypeError, ValueError) as exc:
                return _errors(422, str(exc))
        return JSONResponse(shop.faults.as_json())

    async def seed(request: Request) -> Response:
        body = await _optional_json(request)
        created = shop.seed(int(body.get("count", 1)))
        return JSONResponse({"created": len(created), "products": len(shop.store.products)})

    async def deliveries(_: Request) -> Response:
        return JSONResponse({"deliveries": [r.as_json() for r in shop.webhooks.records]})

    async def hold(_: Request) -> Response:
        shop.webhooks.hold()
        return JSONResponse({"holding": True})

    async def release(request: Request) -> Response:
        body = await _optional_json(request)
        shop.webhooks.release(reverse=bool(body.get("reverse", True)))
        return JSONResponse({"holding": False})

    async def drain(_: Request) -> Response:
        shop.bucket.drain()
        return JSONResponse(shop.bucket.status().as_json())

    return [
        Route("/_sim/orders", orders, methods=["POST"]),
        Route("/_sim/orders/{order_id:int}/cancel", cancel, methods=["POST"]),
        Route("/_sim/orders/{order_id:int}/paid", paid, methods=["POST"]),
        Route("/_sim/inventory", inventory, methods=["POST"]),
        Route("/_sim/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sim/seed", seed, methods=["POST"]),
        Route("/_sim/webhooks/deliveries", deliveries, methods=["GET"]),
        Route("/_sim/webhooks/hold", hold, methods=["POST"]),
        Route("/_sim/webhooks/release", release, methods=["POST"]),
        Route("/_sim/throttle/drain", drain, methods=["POST"]),
    ]


async def _optional_json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    body = json.loads(raw)
    return body if isinstance(body, dict) else {}
