"""Orders and their invoices, shipments and credit memos."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tillflow_simulators.magento import payloads, payloads_sales, sales, search
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints
from tillflow_simulators.magento.errors import NoSuchEntity
from tillflow_simulators.magento.model import Document, Order


def _orders(call: Call) -> list[Order]:
    return sorted(call.store.orders.values(), key=lambda o: o.entity_id)


def _listed(call: Call, rows: Iterable[dict[str, Any]]) -> Any:
    page, total, criteria = search.search(
        list(rows), call.arg("searchCriteria"), call.store.settings
    )
    return payloads.results(list(page), total, criteria)


def list_orders(call: Call) -> Any:
    return _listed(call, (payloads_sales.order(o) for o in _orders(call)))


def get_order(call: Call) -> Any:
    return payloads_sales.order(sales.get(call.store, int(call.args["id"])))


def cancel(call: Call) -> Any:
    return sales.cancel(call.store, int(call.args["id"]))


def hold(call: Call) -> Any:
    return sales.hold(call.store, int(call.args["id"]))


def unhold(call: Call) -> Any:
    return sales.unhold(call.store, int(call.args["id"]))


def status(call: Call) -> Any:
    return sales.get(call.store, int(call.args["id"])).status


def add_comment(call: Call) -> Any:
    sales.add_comment(call.store, int(call.args["id"]), dict(call.arg("statusHistory", {})))
    return True


def comments(call: Call) -> Any:
    order = sales.get(call.store, int(call.args["id"]))
    items = [payloads_sales.comment(c) for c in order.comments]
    return {"items": items, "search_criteria": {"filter_groups": []}, "total_count": len(items)}


def invoice(call: Call) -> Any:
    return sales.invoice(
        call.store, int(call.args["orderId"]), list(call.arg("items", []))
    ).entity_id


def ship(call: Call) -> Any:
    extension = (call.arg("arguments", {}) or {}).get("extension_attributes") or {}
    shipment = sales.ship(
        call.store,
        int(call.args["orderId"]),
        list(call.arg("items", [])),
        tracks=list(call.arg("tracks", [])),
        source_code=extension.get("source_code"),
    )
    return shipment.entity_id


def refund(call: Call) -> Any:
    memo = sales.refund(
        call.store,
        int(call.args["orderId"]),
        list(call.arg("items", [])),
        arguments=dict(call.arg("arguments", {}) or {}),
    )
    return memo.entity_id


Documents = Callable[[Order], list[Document]]
Render = Callable[[Document, Order], dict[str, Any]]


def _documents(
    of: Documents, render: Render
) -> tuple[Callable[[Call], Any], Callable[[Call], Any]]:
    def listed(call: Call) -> Any:
        return _listed(call, (render(d, o) for o in _orders(call) for d in of(o)))

    def single(call: Call) -> Any:
        wanted = int(call.args["id"])
        for order in _orders(call):
            for document in of(order):
                if document.entity_id == wanted:
                    return render(document, order)
        raise NoSuchEntity(
            "The entity that was requested doesn't exist. Verify the entity and try again."
        )

    return listed, single


list_invoices, get_invoice = _documents(lambda o: o.invoices, payloads_sales.invoice)
list_shipments, get_shipment = _documents(lambda o: o.shipments, payloads_sales.shipment)
list_creditmemos, get_creditmemo = _documents(lambda o: o.creditmemos, payloads_sales.creditmemo)


ENDPOINTS: Endpoints = {
    ("GET", "/V1/orders"): Endpoint(list_orders, criteria_required=True),
    ("GET", "/V1/orders/:id"): Endpoint(get_order),
    ("POST", "/V1/orders/:id/cancel"): Endpoint(cancel),
    ("POST", "/V1/orders/:id/hold"): Endpoint(hold),
    ("POST", "/V1/orders/:id/unhold"): Endpoint(unhold),
    ("GET", "/V1/orders/:id/statuses"): Endpoint(status),
    ("POST", "/V1/orders/:id/comments"): Endpoint(add_comment),
    ("GET", "/V1/orders/:id/comments"): Endpoint(comments),
    ("POST", "/V1/order/:orderId/invoice"): Endpoint(invoice),
    ("POST", "/V1/order/:orderId/ship"): Endpoint(ship),
    ("POST", "/V1/order/:orderId/refund"): Endpoint(refund),
    ("GET", "/V1/invoices"): Endpoint(list_invoices, criteria_required=True),
    ("GET", "/V1/invoices/:id"): Endpoint(get_invoice),
    ("GET", "/V1/shipments"): Endpoint(list_shipments, criteria_required=True),
    ("GET", "/V1/shipment/:id"): Endpoint(get_shipment),
    ("GET", "/V1/creditmemos"): Endpoint(list_creditmemos, criteria_required=True),
    ("GET", "/V1/creditmemo/:id"): Endpoint(get_creditmemo),
}
