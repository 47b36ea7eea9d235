"""``/webhooks``: subscriptions the connector creates; creating one sends the ping."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from tillflow_simulators.woocommerce import hooks, shapes
from tillflow_simulators.woocommerce.errors import missing_param
from tillflow_simulators.woocommerce.params import check_body, choice, page_of
from tillflow_simulators.woocommerce.web import (
    PREFIX,
    Call,
    endpoint,
    item_response,
    list_response,
)

WEBHOOK_SCHEMA: dict[str, str | tuple[str, ...]] = {
    "name": "string",
    "status": ("active", "paused", "disabled"),
    "topic": "string",
    "delivery_url": "string",
    "secret": "string",
}


def list_webhooks(call: Call) -> Response:
    page = page_of(call.query)
    status = choice(call.query, "status", ("all", "active", "paused", "disabled"), "all")
    records = [w for w in call.state.webhooks.values() if status in ("all", w.status)]
    records.sort(key=lambda w: (w.date_created, w.id), reverse=call.query.get("order") != "asc")
    shown = [shapes.webhook(call.state, w) for w in page.slice(records)]
    return list_response(call, shown, page=page, total=len(records))


def create_webhook(call: Call) -> Response:
    missing = [name for name in ("topic", "delivery_url") if name not in call.body]
    if missing:
        raise missing_param(*missing)
    check_body(call.body, WEBHOOK_SCHEMA)
    record = hooks.create_webhook(call.state, call.body)
    call.shop.dispatch.ping(record)
    return item_response(
        shapes.webhook(call.state, record),
        status=201,
        location=f"{PREFIX}/webhooks/{record.id}",
    )


def get_webhook(call: Call) -> Response:
    return item_response(
        shapes.webhook(call.state, hooks.get_webhook(call.state, call.path_int("id")))
    )


def update_webhook(call: Call) -> Response:
    check_body(call.body, WEBHOOK_SCHEMA)
    record = hooks.update_webhook(call.state, call.path_int("id"), call.body)
    return item_response(shapes.webhook(call.state, record))


def delete_webhook(call: Call) -> Response:
    record = hooks.delete_webhook(call.state, call.path_int("id"), force=call.flag("force"))
    return item_response(shapes.webhook(call.state, record))


ROUTES = [
    Route(f"{PREFIX}/webhooks", endpoint("collection", list_webhooks), methods=["GET"]),
    Route(f"{PREFIX}/webhooks", endpoint("collection", create_webhook), methods=["POST"]),
    Route(f"{PREFIX}/webhooks/{{id:int}}", endpoint("item", get_webhook), methods=["GET"]),
    Route(
        f"{PREFIX}/webhooks/{{id:int}}",
        endpoint("item", update_webhook),
        methods=["POST", "PUT", "PATCH"],
    ),
    Route(f"{PREFIX}/webhooks/{{id:int}}", endpoint("item", delete_webhook), methods=["DELETE"]),
]
