"""``/webhooks``: subscriptions the connector creates; creating one sends the ping."""

from __future__ import annotations

from starlette.responses import Response

from tillflow_simulators.woocommerce import hooks, shapes
from tillflow_simulators.woocommerce.errors import missing_param
from tillflow_simulators.woocommerce.params import choice, page_of
from tillflow_simulators.woocommerce.web import Call, item_response, list_response, route


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
    record = hooks.create_webhook(call.state, call.body)
    call.shop.dispatch.ping(record)
    return item_response(
        shapes.webhook(call.state, record),
        status=201,
        location=f"{call.state.api_root}/webhooks/{record.id}",
    )


def get_webhook(call: Call) -> Response:
    return item_response(
        shapes.webhook(call.state, hooks.get_webhook(call.state, call.path_int("id")))
    )


def update_webhook(call: Call) -> Response:
    record = hooks.update_webhook(call.state, call.path_int("id"), call.body)
    return item_response(shapes.webhook(call.state, record))


def delete_webhook(call: Call) -> Response:
    record = hooks.delete_webhook(call.state, call.path_int("id"), force=call.flag("force"))
    return item_response(shapes.webhook(call.state, record))


_WEBHOOKS = "/wc/v3/webhooks"
_WEBHOOK = r"/wc/v3/webhooks/(?P<id>[\d]+)"
FIELDS = ("name", "status", "topic", "secret", "delivery_url")
ROUTES = [
    route(_WEBHOOKS, ["GET"], "collection", list_webhooks,
          modelled=("context", "page", "per_page", "order", "status")),
    route(_WEBHOOKS, ["POST"], "collection", create_webhook, modelled=FIELDS),
    route(_WEBHOOK, ["GET"], "item", get_webhook, modelled=("context",)),
    route(_WEBHOOK, ["POST", "PUT", "PATCH"], "item", update_webhook, modelled=FIELDS),
    route(_WEBHOOK, ["DELETE"], "item", delete_webhook, modelled=("force",)),
]
