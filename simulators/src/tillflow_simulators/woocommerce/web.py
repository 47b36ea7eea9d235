"""The request pipeline every REST route shares, in WordPress's order: authentication
(the REST key counts over HTTPS only), the JSON body, the route's declared arguments
(``rest``), the route's permission check, the arguments the simulator does not model,
then the handler; and the index and OPTIONS answers of the routes served."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tillflow_simulators.common.chaos import ChaosControls
from tillflow_simulators.woocommerce.auth import ApiKey, authenticate, permission_error
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.hooks import WebhookDispatch
from tillflow_simulators.woocommerce.params import Page, pagination_headers
from tillflow_simulators.woocommerce.rest import arguments, description
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


def route(
    pattern: str,
    methods: Sequence[str],
    kind: str,
    handler: Handler,
    *,
    modelled: Collection[str] = (),
) -> Route:
    """The route WordPress knows as ``pattern`` (``/wc/v3/products/(?P<id>[\\d]+)``),
    for ``methods``; ``modelled`` are the declared arguments the handler implements."""
    return Route(
        description.path_of(pattern),
        endpoint(pattern, kind, handler, modelled=modelled),
        methods=list(methods),
    )


def endpoint(
    pattern: str, kind: str, handler: Handler, *, modelled: Collection[str] = ()
) -> Endpoint:
    """Wrap ``handler`` with WooCommerce's auth, argument checks and error handling."""
    served = {*modelled, *(name for name in _url_params(pattern))}

    async def run(request: Request) -> Response:
        shop: Shop = request.app.state.shop
        query = dict(request.query_params)
        try:
            allowed = authenticate(
                shop.api_key,
                method=request.method,
                query=query,
                authorization=request.headers.get("authorization"),
                secure=request.url.scheme == "https",
            )
            body = await read_json(request) if request.method in WRITE_METHODS else {}
            params = {**query, **body, **request.path_params}
            declared = description.arguments(pattern, request.method)
            arguments.check(declared, params)
            if not allowed:
                raise permission_error(ACTIONS[kind].get(request.method, "read"))
            arguments.refuse_unmodelled(declared, params, served)
            with shop.state.lock:
                return handler(Call(request, shop, query, body))
        except WooError as error:
            return error_response(error)

    return run


def _url_params(pattern: str) -> list[str]:
    return [part.split(">", 1)[0] for part in pattern.split("(?P<")[1:]]


async def index(request: Request) -> Response:
    shop: Shop = request.app.state.shop
    return JSONResponse(description.index(shop.state.site_url))


def options_route(pattern: str) -> Route:
    async def answer(request: Request) -> Response:
        shop: Shop = request.app.state.shop
        allowed = description.options(pattern, shop.state.site_url)["methods"]
        return JSONResponse(
            description.options(pattern, shop.state.site_url),
            headers={"Allow": ", ".join(allowed)},
        )

    return Route(description.path_of(pattern), answer, methods=["OPTIONS"])


def described_routes() -> list[Route]:
    """``GET /wp-json/wc/v3`` and OPTIONS on every route the simulator serves."""
    patterns = [p for p in description.routes() if p != description.NAMESPACE]
    return [Route(PREFIX, index, methods=["GET"]), Route(f"{PREFIX}/", index, methods=["GET"]),
            *map(options_route, patterns)]


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
