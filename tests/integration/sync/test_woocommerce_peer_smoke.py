"""The real WooCommerce answers the calls the connector makes, as it will make them: over
HTTPS with the REST key in HTTP Basic, and webhooks sent, signed, through WooCommerce's
own queue."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from support.woocommerce_peer import WooShop, webhook_receiver

WEBHOOK_SECRET = "woo-peer-hook-secret"


@pytest.fixture(scope="module")
def api(woo_shop: WooShop) -> Iterator[httpx.Client]:
    with woo_shop.client() as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def product(api: httpx.Client, sku: str, *, stock: int, price: str = "8.00") -> dict[str, Any]:
    created: dict[str, Any] = ok(api.post("/products", json={
        "name": f"Product {sku}", "type": "simple", "sku": sku, "regular_price": price,
        "manage_stock": True, "stock_quantity": stock}), 201)
    return created


def stock_of(api: httpx.Client, product_id: int) -> int:
    return int(ok(api.get(f"/products/{product_id}"))["stock_quantity"])


def test_products_are_created_with_a_sku_and_managed_stock_then_found_and_restocked_by_sku(
        api: httpx.Client) -> None:
    mug = product(api, "SMOKE-MUG", stock=6)
    tea = product(api, "SMOKE-TEA", stock=2)
    assert (mug["manage_stock"], mug["stock_quantity"], mug["stock_status"]) == (True, 6, "instock")

    result = ok(api.post("/products/batch", json={"update": [
        {"id": mug["id"], "manage_stock": True, "stock_quantity": 4},
        {"id": tea["id"], "manage_stock": True, "stock_quantity": 0}]}))
    assert [(item["id"], item["stock_quantity"]) for item in result["update"]] == [
        (mug["id"], 4), (tea["id"], 0)]

    listed = api.get("/products", params={"sku": "SMOKE-MUG,SMOKE-TEA", "per_page": 100,
                                          "status": "any"})
    found = {item["sku"]: (item["stock_quantity"], item["stock_status"]) for item in ok(listed)}
    assert found == {"SMOKE-MUG": (4, "instock"), "SMOKE-TEA": (0, "outofstock")}
    assert listed.headers["X-WP-Total"] == "2"


def test_a_paid_order_takes_stock_and_is_listed_by_its_gmt_modification_date(
        api: httpx.Client) -> None:
    item = product(api, "SMOKE-ORDER", stock=5)
    order = ok(api.post("/orders", json={
        "set_paid": True, "billing": {"email": "bo@example.com", "country": "US"},
        "line_items": [{"product_id": item["id"], "quantity": 2}]}), 201)

    assert order["status"] == "processing"
    assert order["date_paid_gmt"] is not None
    assert stock_of(api, item["id"]) == 3
    # The store's 8 % sales tax applies: the shop adds it to what the lines cost.
    assert (order["line_items"][0]["total"], order["total_tax"], order["total"]) == (
        "16.00", "1.28", "17.28")

    modified = datetime.fromisoformat(order["date_modified_gmt"])
    since: dict[str, str | int] = {"orderby": "modified", "order": "asc", "per_page": 100,
                                   "dates_are_gmt": "true"}
    before = ok(api.get("/orders", params={
        **since, "modified_after": (modified - timedelta(seconds=1)).isoformat()}))
    at = ok(api.get("/orders", params={**since, "modified_after": modified.isoformat()}))
    assert order["id"] in [o["id"] for o in before]
    assert order["id"] not in [o["id"] for o in at]  # strict, to the second


def test_without_dates_are_gmt_a_date_filter_is_read_in_the_shops_time_zone(
        api: httpx.Client) -> None:
    order = ok(api.post("/orders", json={"set_paid": True}), 201)
    gmt = datetime.fromisoformat(order["date_modified_gmt"]) - timedelta(seconds=1)
    local = datetime.fromisoformat(order["date_modified"]) - timedelta(seconds=1)
    assert gmt != local  # the shop is in America/Los_Angeles

    def listed(**params: str) -> list[int]:
        return [o["id"] for o in ok(api.get("/orders", params={"per_page": 100, **params}))]

    assert order["id"] in listed(modified_after=local.isoformat())
    assert order["id"] in listed(modified_after=gmt.isoformat(), dates_are_gmt="true")
    assert order["id"] in listed(modified_after=f"{gmt.isoformat()}Z")
    # A GMT time without an offset, read as local time, lies hours after the change.
    assert order["id"] not in listed(modified_after=gmt.isoformat())


def test_a_refund_without_payment_or_restock_shows_negative_lines_and_leaves_stock(
        api: httpx.Client) -> None:
    item = product(api, "SMOKE-REFUND", stock=5, price="4.50")
    order = ok(api.post("/orders", json={
        "status": "completed", "set_paid": True, "payment_method": "tillflow",
        "line_items": [{"product_id": item["id"], "quantity": 2, "subtotal": "9.00",
                        "total": "9.00", "meta_data": [{"key": "_reduced_stock", "value": 2}]}]}),
        201)
    line = order["line_items"][0]
    assert stock_of(api, item["id"]) == 5  # the line said its stock was taken already

    refund = ok(api.post(f"/orders/{order['id']}/refunds", json={
        "amount": "4.50", "reason": "returned at the till", "api_refund": False,
        "api_restock": False, "line_items": [{"id": line["id"], "quantity": 1,
                                              "refund_total": "4.50"}],
        "meta_data": [{"key": "tillflow_return", "value": "return-1"}]}), 201)

    assert (refund["amount"], refund["refunded_payment"]) == ("4.50", False)
    [refunded] = refund["line_items"]
    assert (refunded["quantity"], refunded["total"]) == (-1, "-4.50")
    assert stock_of(api, item["id"]) == 5
    listed = ok(api.get(f"/orders/{order['id']}/refunds", params={"per_page": 100}))
    assert [r["id"] for r in listed] == [refund["id"]]
    shown = ok(api.get(f"/orders/{order['id']}"))
    assert shown["refunds"] == [{"id": refund["id"], "reason": "returned at the till",
                                 "total": "-4.50"}]


def test_a_customer_is_created_and_found_by_email(api: httpx.Client) -> None:
    created = ok(api.post("/customers", json={
        "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee",
        "billing": {"email": "ann@example.com", "phone": "+14085550101"}}), 201)

    found = ok(api.get("/customers", params={"email": "ANN@example.com", "role": "all"}))
    assert [(c["id"], c["role"], c["billing"]["phone"]) for c in found] == [
        (created["id"], "customer", "+14085550101")]
    missing = api.get("/customers/999999")
    assert (missing.status_code, missing.json()["code"]) == (404, "wc_user_invalid_id")
    again = api.post("/customers", json={"email": "ann@example.com"})
    assert (again.status_code, again.json()["code"]) == (400, "registration-error-email-exists")


def test_the_rest_key_is_refused_over_plain_http(woo_shop: WooShop) -> None:
    key = (woo_shop.consumer_key, woo_shop.consumer_secret)
    with httpx.Client(base_url=f"{woo_shop.http_url}/wp-json/wc/v3", timeout=30) as plain:
        basic = plain.get("/products", auth=key)
        query = plain.get("/products", params={"consumer_key": key[0], "consumer_secret": key[1]})
    for refused in (basic, query):
        assert refused.status_code == 401
        assert refused.json()["code"] == "woocommerce_rest_cannot_view"


def test_an_order_created_webhook_is_signed_and_sent_by_the_queue_runner(
        api: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        hook = ok(api.post("/webhooks", json={
            "name": "smoke", "topic": "order.created", "delivery_url": receiver.url,
            "secret": WEBHOOK_SECRET, "status": "active"}), 201)
        try:
            ping = receiver.wait_for(lambda d: d.body == f"webhook_id={hook['id']}".encode(),
                                     timeout=10)
            assert "x-wc-webhook-signature" not in ping.headers

            order = ok(api.post("/orders", json={"set_paid": True}), 201)
            placed = time.monotonic()
            delivery = receiver.wait_for(
                lambda d: d.headers.get("x-wc-webhook-topic") == "order.created", timeout=60)
        finally:
            api.delete(f"/webhooks/{hook['id']}", params={"force": "true"})

    expected = base64.b64encode(
        hmac.new(WEBHOOK_SECRET.encode(), delivery.body, hashlib.sha256).digest()).decode()
    assert delivery.headers["x-wc-webhook-signature"] == expected
    assert delivery.headers["x-wc-webhook-id"] == str(hook["id"])
    assert json.loads(delivery.body)["id"] == order["id"]
    print(f"order.created delivered {delivery.received - placed:.2f} s after the order")
