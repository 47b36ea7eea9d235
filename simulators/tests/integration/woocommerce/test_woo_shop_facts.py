"""What a real WooCommerce 10.0.2 was seen to do, which the simulator does as well: tax
added to REST orders unless exempt, the "stock already reduced" order flag, empty lines
for unknown products, payment completing orders with nothing to ship, refund refusals as
HTTP 500, prices as JSON numbers, stock management switched off, the administrator among
the users, webhooks made active, and WordPress's own argument errors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tillflow_simulators.common.recorder import WebhookRecorder
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.state import ShopSettings


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator(settings=ShopSettings(tax_percent=Decimal(8))) as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client() as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def product(api: httpx.Client, sku: str, **fields: Any) -> dict[str, Any]:
    body = {"name": sku, "sku": sku, "regular_price": "4.50", "manage_stock": True,
            "stock_quantity": 10, **fields}
    created: dict[str, Any] = ok(api.post("/products", json=body), 201)
    return created


def stock(api: httpx.Client, product_id: int) -> int | None:
    found: int | None = ok(api.get(f"/products/{product_id}"))["stock_quantity"]
    return found


def test_a_rest_order_is_taxed_unless_it_is_vat_exempt(api: httpx.Client) -> None:
    item = product(api, "TAX")
    line = {"product_id": item["id"], "quantity": 2, "subtotal": "9.00", "total": "9.00"}
    taxed = ok(api.post("/orders", json={"line_items": [line]}), 201)
    exempt = ok(api.post("/orders", json={
        "line_items": [line], "meta_data": [{"key": "is_vat_exempt", "value": "yes"}]}), 201)
    assert (taxed["total"], taxed["total_tax"]) == ("9.72", "0.72")
    assert taxed["line_items"][0]["taxes"][0]["total"] == "0.72"
    assert (exempt["total"], exempt["total_tax"], exempt["line_items"][0]["taxes"]) == (
        "9.00", "0.00", [])


def test_an_order_flagged_as_stock_reduced_takes_and_gives_back_nothing(
        api: httpx.Client) -> None:
    item = product(api, "FLAG")
    line = {"product_id": item["id"], "quantity": 2}
    flagged = ok(api.post("/orders", json={
        "status": "completed", "set_paid": True, "line_items": [line],
        "meta_data": [{"key": "_order_stock_reduced", "value": "yes"}]}), 201)
    assert stock(api, item["id"]) == 10
    assert "_order_stock_reduced" not in [m["key"] for m in flagged["meta_data"]]
    ok(api.put(f"/orders/{flagged['id']}", json={"status": "cancelled"}))
    assert stock(api, item["id"]) == 10
    # Lines marked as reduced instead are skipped on completion but put back on cancel.
    marked = ok(api.post("/orders", json={"status": "completed", "set_paid": True,
                                          "line_items": [{**line, "meta_data": [
                                              {"key": "_reduced_stock", "value": 2}]}]}), 201)
    assert stock(api, item["id"]) == 10
    ok(api.put(f"/orders/{marked['id']}", json={"status": "cancelled"}))
    assert stock(api, item["id"]) == 12


def test_a_line_of_an_unknown_product_is_kept_empty(api: httpx.Client) -> None:
    for reference in ({"product_id": 999_999}, {"sku": "NOPE"}):
        order = ok(api.post("/orders", json={"line_items": [{**reference, "quantity": 1}]}),
                   201)
        [line] = order["line_items"]
        assert (line["product_id"], line["name"], line["sku"], line["total"]) == (
            0, "", None, "0.00")


def test_payment_completes_an_order_with_nothing_to_ship(api: httpx.Client) -> None:
    shipped = product(api, "BOX")
    download = product(api, "EBOOK", virtual=True, downloadable=True)

    def paid(*lines: dict[str, Any]) -> str:
        status: str = ok(api.post("/orders", json={"set_paid": True,
                                                   "line_items": list(lines)}), 201)["status"]
        return status

    assert paid() == "completed"
    assert paid({"product_id": download["id"]}) == "completed"
    assert paid({"product_id": download["id"]}, {"product_id": shipped["id"]}) == "processing"


def test_refund_refusals_come_as_http_500_with_a_bare_status(api: httpx.Client) -> None:
    item = product(api, "REF")
    order = ok(api.post("/orders", json={"set_paid": True, "line_items": [
        {"product_id": item["id"], "quantity": 1}]}), 201)
    negative = api.post(f"/orders/{order['id']}/refunds", json={"amount": "-1.00"})
    too_much = api.post(f"/orders/{order['id']}/refunds", json={"amount": "100.00"})
    no_order = api.post("/orders/999999/refunds", json={"amount": "1.00"})
    assert [(r.status_code, r.json()["code"], r.json()["data"]) for r in (
        negative, too_much, no_order)] == [
        (500, "woocommerce_rest_invalid_order_refund", 400),
        (500, "woocommerce_rest_cannot_create_order_refund", 500),
        (500, "woocommerce_rest_invalid_order_id", 404)]
    assert ok(api.get("/orders/999999/refunds")) == []


def test_a_lines_price_is_a_json_number(api: httpx.Client) -> None:
    item = product(api, "THIRDS")
    order = api.post("/orders", json={"line_items": [
        {"product_id": item["id"], "quantity": 3, "total": "10.00", "subtotal": "10.00"}]})
    assert b'"price":3.3333333333333335' in order.content


def test_stock_writes_are_ignored_where_stock_management_is_off(api: httpx.Client) -> None:
    unmanaged = product(api, "LOOSE", manage_stock=False)
    ok(api.post("/products/batch", json={"update": [
        {"id": unmanaged["id"], "stock_quantity": 5}]}))
    assert (unmanaged["manage_stock"], stock(api, unmanaged["id"])) == (False, None)

    managed = product(api, "TIGHT")
    setting = "/settings/products/woocommerce_manage_stock"
    assert ok(api.get(setting))["value"] == "yes"
    assert ok(api.put(setting, json={"value": "no"}))["value"] == "no"
    written = ok(api.post("/products/batch", json={"update": [
        {"id": managed["id"], "manage_stock": True, "stock_quantity": 3}]}))["update"][0]
    assert (written["manage_stock"], written["stock_quantity"]) == (False, 10)
    refused = api.put(setting, json={"value": "maybe"})
    assert refused.json()["code"] == "rest_setting_value_invalid"


def test_the_administrator_is_among_all_users_and_never_modified(api: httpx.Client) -> None:
    assert ok(api.get("/customers")) == []
    [admin] = ok(api.get("/customers", params={"role": "all"}))
    assert (admin["role"], admin["date_modified_gmt"]) == ("administrator", None)
    assert admin["date_created_gmt"] is not None


def test_a_new_customer_is_announced_as_created_then_updated(
        sim: WooCommerceSimulator, api: httpx.Client) -> None:
    with WebhookRecorder() as receiver:
        for topic in ("customer.created", "customer.updated"):
            ok(api.post("/webhooks", json={"topic": topic, "delivery_url": receiver.url(),
                                           "status": "paused"}), 201)
        hooks = ok(api.get("/webhooks"))
        ok(api.post("/customers", json={"email": "new@example.com"}), 201)
        assert sim.wait_idle()
        received = receiver.received
    assert {h["status"] for h in hooks} == {"active"}  # whatever was asked for
    topics = [r.headers.get("x-wc-webhook-topic") for r in received]
    assert [t for t in topics if t] == ["customer.created", "customer.updated"]


def test_wordpress_words_argument_errors_itself(api: httpx.Client) -> None:
    wrong = api.get("/orders", params={"per_page": 101, "status": "shipped"}).json()
    assert wrong["code"] == "rest_invalid_param"
    assert wrong["data"]["details"]["per_page"]["code"] == "rest_out_of_bounds"
    assert wrong["data"]["params"]["status"] == (
        "status[0] is not one of any, trash, auto-draft, pending, processing, on-hold, "
        "completed, cancelled, refunded, failed, and checkout-draft.")
    assert ok(api.get("/orders", params={"status": "auto-draft"})) == []
    unsupported = api.get("/products", params={"category": "5"}).json()
    assert unsupported["code"] == "tillflow_simulator_unsupported"


def test_products_and_orders_take_their_ids_from_one_sequence_and_the_version_is_real(
        api: httpx.Client) -> None:
    first = product(api, "SEQ")
    order = ok(api.post("/orders", json={}), 201)
    second = product(api, "SEQ-2")
    assert first["id"] < order["id"] < second["id"]
    assert order["version"] == "10.0.2"
