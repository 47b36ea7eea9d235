"""The request pipeline every REST route shares: auth, JSON body, errors, responses."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tillflow_simulators.common.chaos import ChaosControls
from tillflow_simulators.woocommerce.auth import ApiKey, authenticate, permission_error
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.hooks import WebhookDispatch
from tillflow_simulators.woocommerce.params import Page, pagination_headers
from tillflow_simulators.woocommerce.state import ShopState

PREFIX = "/wp-json/wc/v3"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ACTIONS = {
    "collection": {"GET": "list", "HEAD": "list", "POST": "create"},
    "item": {
        "GET": "read",
        "HEAD": "read",
        "POST": "edit",
        "PUT": "edit",
        "PATCH": "edit",
        "DELETE": "delete",
    },
    "batch": {"POST": "batch", "PUT": "batch", "PATCH": "batch"},
}


@dataclass
class Shop:
    """What a route needs: the state, the API key, webhook dispatch and fault controls."""

    state: ShopState
    api_key: ApiKey
    dispatch: WebhookDispatch
    controls: ChaosControls


@dataclass(frozen=True)
class Call:
    request: Request
    shop: Shop
    query: Mapping[str, str]
    body: Mapping[str, Any]

    @property
    def state(self) -> ShopState:
        return self.shop.state

    def path_int(self, name: str) -> int:
        value: int = self.request.path_params[name]
        return value

    def flag(self, name: str) -> bool:
        raw = self.query.get(name, self.body.get(name, False))
        return raw in (True, "true", "1", 1)


Handler = Callable[[Call], Response]
Endpoint = Callable[[Request], Awaitable[Response]]


def endpoint(kind: str, handler: Handler) -> Endpoint:
    """Wrap ``handler`` with WooCommerce's auth and error handling for a route ``kind``."""

    async def run(request: Request) -> Response:
        shop: Shop = request.app.state.shop
        query = dict(request.query_params)
        try:
            allowed = authenticate(
                shop.api_key,
                method=request.method,
                query=query,
                authorization=request.headers.get("authorization"),
            )
            body = await read_json(request) if request.method in WRITE_METHODS else {}
            if not allowed:
                raise permission_error(ACTIONS[kind].get(request.method, "read"))
            with shop.state.lock:
                return handler(Call(request, shop, query, body))
        except WooError as error:
            return error_response(error)

    return run


async def read_json(request: Request) -> Mapping[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise WooError(
            "rest_invalid_json",
            "Invalid JSON body passed.",
            400,
            data={"json_error_code": 4, "json_error_message": str(exc)},
        ) from None
    return parsed if isinstance(parsed, dict) else {}


def error_response(error: WooError) -> Response:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def error_entry(item_id: object, error: WooError) -> dict[str, Any]:
    """How a batch reports one failed item."""
    body = error.body()
    return {"id": item_id, "error": {k: body[k] for k in ("code", "message", "data")}}


def item_response(
    data: Mapping[str, Any], *, status: int = 200, location: str | None = None
) -> Response:
    headers = {"Location": location} if location else None
    return JSONResponse(dict(data), status_code=status, headers=headers)


def list_response(call: Call, items: Sequence[Any], *, page: Page, total: int) -> Response:
    response = JSONResponse(list(items))
    base = f"{call.state.site_url}{call.request.url.path}"
    for name, value in pagination_headers(base=base, query=call.query, page=page, total=total):
        response.headers.append(name, value)
    return response
