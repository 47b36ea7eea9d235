"""A guest checkout becomes an order that is invoiced, shipped and refunded, with the
salable quantity, the source quantity and the reservations right after every step."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from sim_support.magento import TOKEN, bearer, guest, guest_order
from tillflow_simulators.magento import MagentoSimulator


@pytest.fixture
def sim() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN) as simulator:
        simulator.add_product("MUG-1", "Mug", "12.50", qty=10)
        yield simulator
        assert simulator.violations == []


@pytest.fixture
def admin(sim: MagentoSimulator) -> Iterator[httpx.Client]:
    with bearer(sim) as client:
        yield client


@pytest.fixture
def shopper(sim: MagentoSimulator) -> Iterator[httpx.Client]:
    with guest(sim) as client:
        yield client


def salable(admin: httpx.Client, sku: str = "MUG-1") -> Decimal:
    answer = admin.get(f"/V1/inventory/get-product-salable-quantity/{sku}/1")
    assert answer.status_code == 200, answer.text
    return Decimal(answer.text)


def test_order_invoice_ship_refund_keep_stock_right(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    order_id = guest_order(shopper, [("MUG-1", 3)])
    order = admin.get(f"/V1/orders/{order_id}").json()
    assert (order["state"], order["status"]) == ("new", "pending")
    assert order["payment"]["method"] == "checkmo"
    assert order["grand_total"] == 52.5  # 3 x 12.50 + 3 x 5.00 flat rate per item
    assert order["increment_id"] == "000000001"
    assert salable(admin) == 7
    assert sim.source_quantity("MUG-1") == 10
    assert [r.quantity for r in sim.reservations("MUG-1")] == [-3]

    invoice_id = admin.post(f"/V1/order/{order_id}/invoice", json={"capture": True}).json()
    invoice = admin.get(f"/V1/invoices/{invoice_id}").json()
    assert invoice["grand_total"] == 52.5
    assert invoice["state"] == 2
    assert admin.get(f"/V1/orders/{order_id}").json()["status"] == "processing"
    assert salable(admin) == 7

    shipment_id = admin.post(f"/V1/order/{order_id}/ship", json={}).json()
    shipment = admin.get(f"/V1/shipment/{shipment_id}").json()
    assert shipment["extension_attributes"]["source_code"] == "default"
    assert admin.get(f"/V1/orders/{order_id}").json()["state"] == "complete"
    assert sim.source_quantity("MUG-1") == 7
    assert salable(admin) == 7
    assert sum(r.quantity for r in sim.reservations("MUG-1")) == 0

    item_id = order["items"][0]["item_id"]
    memo_id = admin.post(
        f"/V1/order/{order_id}/refund",
        json={
            "items": [{"order_item_id": item_id, "qty": 1}],
            "arguments": {
                "shipping_amount": 0,
                "extension_attributes": {"return_to_stock_items": [item_id]},
            },
        },
    ).json()
    memo = admin.get(f"/V1/creditmemo/{memo_id}").json()
    assert memo["grand_total"] == 12.5
    assert sim.source_quantity("MUG-1") == 8
    assert salable(admin) == 8
    assert admin.get(f"/V1/orders/{order_id}").json()["total_refunded"] == 12.5


def test_refund_without_return_to_stock_leaves_the_shelf(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    order_id = guest_order(shopper, [("MUG-1", 2)])
    admin.post(f"/V1/order/{order_id}/invoice", json={})
    admin.post(f"/V1/order/{order_id}/ship", json={})
    admin.post(f"/V1/order/{order_id}/refund", json={})
    assert sim.source_quantity("MUG-1") == 8
    assert salable(admin) == 8
    assert admin.get(f"/V1/orders/{order_id}").json()["state"] == "closed"


def test_cancel_gives_the_reservation_back(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    order_id = guest_order(shopper, [("MUG-1", 4)])
    assert salable(admin) == 6
    assert admin.post(f"/V1/orders/{order_id}/cancel").json() is True
    order = admin.get(f"/V1/orders/{order_id}").json()
    assert (order["state"], order["status"]) == ("canceled", "canceled")
    assert salable(admin) == 10
    assert [r.metadata["event_type"] for r in sim.reservations("MUG-1")] == [
        "order_placed",
        "order_canceled",
    ]
    assert admin.post(f"/V1/orders/{order_id}/cancel").json() is False


def test_refund_before_shipping_frees_the_reservation(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    order_id = guest_order(shopper, [("MUG-1", 2)])
    admin.post(f"/V1/order/{order_id}/invoice", json={})
    admin.post(f"/V1/order/{order_id}/refund", json={})
    assert salable(admin) == 10
    assert sim.source_quantity("MUG-1") == 10


def test_more_than_salable_is_refused_in_the_cart(
    sim: MagentoSimulator, shopper: httpx.Client
) -> None:
    cart = shopper.post("/V1/guest-carts").json()
    answer = shopper.post(
        f"/V1/guest-carts/{cart}/items",
        json={"cartItem": {"sku": "MUG-1", "qty": 11, "quote_id": cart}},
    )
    assert answer.status_code == 400
    assert answer.json() == {"message": "The requested qty is not available"}


def test_shipping_twice_is_refused_as_a_document_validation_error(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    order_id = guest_order(shopper, [("MUG-1", 1)])
    admin.post(f"/V1/order/{order_id}/ship", json={})
    again = admin.post(f"/V1/order/{order_id}/ship", json={})
    assert again.status_code == 400
    assert again.json()["message"].startswith("Shipment Document Validation Error(s):")


def test_a_second_source_with_priority_ships_from_the_first_that_holds_enough(
    sim: MagentoSimulator, admin: httpx.Client, shopper: httpx.Client
) -> None:
    sim.add_source("shop", "Shop floor", priority=0)
    sim.set_source_item("MUG-1", 5, source_code="shop")
    assert salable(admin) == 15
    order_id = guest_order(shopper, [("MUG-1", 4)])
    admin.post(f"/V1/order/{order_id}/ship", json={})
    assert sim.source_quantity("MUG-1", "shop") == 1
    assert sim.source_quantity("MUG-1") == 10
    assert salable(admin) == 11


def test_python_api_places_a_guest_order(sim: MagentoSimulator, admin: httpx.Client) -> None:
    order = sim.place_guest_order([("MUG-1", 2)], email="lin@example.com")
    listed = admin.get(
        "/V1/orders",
        params={
            "searchCriteria[filter_groups][0][filters][0][field]": "customer_email",
            "searchCriteria[filter_groups][0][filters][0][value]": "LIN@example.com",
        },
    ).json()
    assert [o["entity_id"] for o in listed["items"]] == [order.entity_id]
    assert sim.salable_quantity("MUG-1") == 8
