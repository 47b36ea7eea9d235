"""Orders, stock reduction and restoration, refunds, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.state import ShopSettings


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


@pytest.fixture
def sku(sim: WooCommerceSimulator) -> str:
    product = sim.seed(1)[0]
    sim.set_stock(product["sku"], 10)
    sku: str = product["sku"]
    return sku


def _order(api: httpx.Client, sku: str, quantity: int, **fields: Any) -> dict[str, Any]:
    response = api.post(
        "/orders", json={"line_items": [{"sku": sku, "quantity": quantity}], **fields}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_paid_order_reduces_stock(sim: WooCommerceSimulator, api: httpx.Client, sku: str) -> None:
    order = _order(api, sku, 3, set_paid=True, billing={"email": "ann@example.com"})
    assert order["status"] == "processing"
    assert order["date_paid_gmt"] is not None
    item = order["line_items"][0]
    assert item["sku"] == sku
    assert item["quantity"] == 3
    assert order["total"] == item["total"]
    assert sim.stock(sku) == 7


def test_pending_order_leaves_stock_until_processing(
    sim: WooCommerceSimulator, api: httpx.Client, sku: str
) -> None:
    order = _order(api, sku, 2)
    assert order["status"] == "pending"
    assert sim.stock(sku) == 10
    api.put(f"/orders/{order['id']}", json={"status": "processing"})
    api.put(f"/orders/{order['id']}", json={"status": "completed"})
    assert sim.stock(sku) == 8


def test_cancel_restores_stock_once(
    sim: WooCommerceSimulator, api: httpx.Client, sku: str
) -> None:
    order = _order(api, sku, 4, status="processing")
    assert sim.stock(sku) == 6
    cancelled = api.put(f"/orders/{order['id']}", json={"status": "cancelled"}).json()
    assert cancelled["status"] == "cancelled"
    assert sim.stock(sku) == 10
    api.put(f"/orders/{order['id']}", json={"status": "cancelled"})
    assert sim.stock(sku) == 10


def test_cancel_without_restock_when_configured() -> None:
    with WooCommerceSimulator(settings=ShopSettings(restock_on_cancel=False)) as sim:
        sku = sim.seed(1)[0]["sku"]
        sim.set_stock(sku, 5)
        order = sim.place_order([(sku, 2)])
        with sim.client() as api:
            api.put(f"/orders/{order['id']}", json={"status": "cancelled"})
        assert sim.stock(sku) == 3


def test_rest_orders_may_oversell_but_checkout_may_not(
    sim: WooCommerceSimulator, api: httpx.Client, sku: str
) -> None:
    _order(api, sku, 12, set_paid=True)
    assert sim.stock(sku) == -2
    response = httpx.post(
        f"{sim.http_url}/_sim/orders", json={"line_items": [{"sku": sku, "quantity": 1}]}
    )
    assert response.status_code == 409
    assert sim.stock(sku) == -2


def test_refund_restocks_and_fully_refunded_order_is_refunded(
    sim: WooCommerceSimulator, api: httpx.Client, sku: str
) -> None:
    order = _order(api, sku, 2, set_paid=True)
    item = order["line_items"][0]
    refund = api.post(
        f"/orders/{order['id']}/refunds",
        json={
            "amount": item["total"],
            "reason": "damaged",
            "line_items": [{"id": item["id"], "quantity": 2, "refund_total": item["total"]}],
        },
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["amount"] == item["total"]
    assert refund.json()["refunded_payment"] is True
    assert refund.json()["line_items"][0]["quantity"] == -2
    assert sim.stock(sku) == 10
    after = api.get(f"/orders/{order['id']}").json()
    assert after["status"] == "refunded"
    assert after["refunds"][0]["total"] == f"-{item['total']}"
    too_much = api.post(f"/orders/{order['id']}/refunds", json={"amount": "1.00"})
    assert too_much.status_code == 500
    assert too_much.json()["code"] == "woocommerce_rest_cannot_create_order_refund"
    listed = api.get(f"/orders/{order['id']}/refunds").json()
    assert [r["id"] for r in listed] == [refund.json()["id"]]


def test_refund_without_restock(sim: WooCommerceSimulator, api: httpx.Client, sku: str) -> None:
    order = _order(api, sku, 2, set_paid=True)
    item = order["line_items"][0]
    api.post(
        f"/orders/{order['id']}/refunds",
        json={
            "api_restock": False,
            "line_items": [{"id": item["id"], "quantity": 1, "refund_total": item["price"]}],
        },
    )
    assert sim.stock(sku) == 8
    assert api.get(f"/orders/{order['id']}").json()["status"] == "processing"


def test_order_list_filters(sim: WooCommerceSimulator, api: httpx.Client, sku: str) -> None:
    paid = _order(api, sku, 1, set_paid=True)
    _order(api, sku, 1)
    processing = api.get("/orders", params={"status": "processing"}).json()
    assert [o["id"] for o in processing] == [paid["id"]]
    assert api.get("/orders").headers["x-wp-total"] == "2"
    missing = api.get("/orders/424242")
    assert missing.status_code == 404
    assert missing.json()["code"] == "woocommerce_rest_shop_order_invalid_id"


def test_line_item_needs_a_product(api: httpx.Client) -> None:
    response = api.post("/orders", json={"line_items": [{"quantity": 1}]})
    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_required_product_reference"


def test_variation_order_reduces_variation_stock(
    sim: WooCommerceSimulator, api: httpx.Client
) -> None:
    parent = api.post("/products", json={"name": "Tee", "type": "variable"}).json()
    variation = api.post(
        f"/products/{parent['id']}/variations",
        json={"sku": "TEE-L", "regular_price": "20.00", "manage_stock": True, "stock_quantity": 5,
              "attributes": [{"name": "Size", "option": "L"}]},
    ).json()
    order = _order(api, "TEE-L", 2, set_paid=True)
    item = order["line_items"][0]
    assert (item["product_id"], item["variation_id"]) == (parent["id"], variation["id"])
    assert item["name"] == "Tee - L"
    assert sim.stock("TEE-L") == 3


def test_lines_marked_as_reduced_are_not_reduced_again(
    sim: WooCommerceSimulator, api: httpx.Client, sku: str
) -> None:
    line = {"sku": sku, "quantity": 3, "meta_data": [{"key": "_reduced_stock", "value": 3}]}
    response = api.post(
        "/orders",
        json={"status": "completed", "set_paid": True, "line_items": [line],
              "meta_data": [{"key": "till_sale", "value": "s-1"}]},
    )
    assert response.status_code == 201, response.text
    order = response.json()
    # A posted status wins; payment_complete() only moves an order awaiting payment.
    assert (order["status"], order["date_paid_gmt"] is not None) == ("completed", True)
    assert [m["key"] for m in order["meta_data"]] == ["till_sale"]
    assert sim.stock(sku) == 10
    # Cancelling gives back what the line says was reduced, as WooCommerce does.
    assert api.put(f"/orders/{order['id']}", json={"status": "cancelled"}).status_code == 200
    assert sim.stock(sku) == 13


def test_set_paid_moves_an_order_awaiting_payment_to_processing(
    api: httpx.Client, sku: str
) -> None:
    assert _order(api, sku, 1, status="on-hold", set_paid=True)["status"] == "processing"
