"""Real WooCommerce orders read as the shop charged them: the connector's reading of the
order and refund bodies a real WooCommerce 10 writes (its 8 % tax, a coupon, shipping, a
fee, cash on delivery, an uneven unit price), priced by tillflow's rules to the shop's
own totals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support.woocommerce_peer import WooShop
from tillflow.connectors.woocommerce.orders import order_from
from tillflow.domain.money import Currency
from tillflow.domain.returns import SoldLine
from tillflow.domain.web_orders import WebSale, price_web_order
from tillflow.domain.web_refunds import SoldCharge, price_shop_refund
from tillflow.ports.commerce import RemoteOrder
from tillflow.sync.inbound import shop_order, shop_refund

USD = Currency.of("USD")


@pytest.fixture(scope="module")
def api(woo_shop: WooShop) -> Iterator[httpx.Client]:
    with woo_shop.client() as client:
        yield client


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    # As the connector must read it: WooCommerce's numbers are decimals, never floats.
    return json.loads(response.text, parse_float=Decimal)


def _product(api: httpx.Client, sku: str, price: str) -> int:
    created = _ok(api.post("/products", json={
        "name": f"Product {sku}", "type": "simple", "sku": sku, "regular_price": price,
        "manage_stock": True, "stock_quantity": 50}), 201)
    return int(created["id"])


def _read(api: httpx.Client, order_id: int) -> tuple[dict[str, Any], RemoteOrder]:
    payload = _ok(api.get(f"/orders/{order_id}"))
    refunds = _ok(api.get(f"/orders/{order_id}/refunds")) if payload["refunds"] else []
    return payload, order_from(payload, refunds)


def _price(order: RemoteOrder) -> WebSale:
    return price_web_order(shop_order(order, default_currency="USD"), currency=USD,
                           rates={})


def test_an_uneven_unit_price_is_booked_at_the_lines_total(api: httpx.Client) -> None:
    thirds = _product(api, "PEER-THIRDS", "3.33")
    created = _ok(api.post("/orders", json={
        "set_paid": True, "billing": {"email": "thirds@example.com", "country": "US"},
        "line_items": [{"product_id": thirds, "quantity": 3, "subtotal": "10.00",
                        "total": "10.00"}]}), 201)
    payload, order = _read(api, created["id"])
    assert payload["line_items"][0]["price"] == Decimal("3.3333333333333335")
    sale = _price(order)
    [line] = sale.lines
    assert (line.gross, line.unit_price, line.tax) == (Decimal("10.00"), Decimal("3.33"),
                                                       Decimal("0.80"))
    assert sale.total == Decimal(payload["total"]) == Decimal("10.80")
    assert order.payment is not None
    assert (order.payment.gateway, order.payment.paid) == (None, True)


def test_a_coupon_shipping_and_a_fee_add_up_to_the_shops_total(api: httpx.Client) -> None:
    mug = _product(api, "PEER-MUG", "12.50")
    tea = _product(api, "PEER-TEA", "4.99")
    _ok(api.post("/coupons", json={"code": "peer10", "discount_type": "percent",
                                   "amount": "10"}), 201)
    created = _ok(api.post("/orders", json={
        "payment_method": "cod", "payment_method_title": "Cash on delivery",
        "status": "processing",
        "billing": {"first_name": "Dee", "email": "dee@example.com",
                    "phone": "(555) 010-0199", "country": "US", "state": "CA",
                    "postcode": "94103", "city": "San Francisco"},
        "line_items": [{"product_id": mug, "quantity": 2}, {"product_id": tea, "quantity": 1}],
        "coupon_lines": [{"code": "peer10"}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate",
                            "total": "5.00"}],
        "fee_lines": [{"name": "Gift wrap", "total": "2.00", "tax_status": "taxable"}]}), 201)
    payload, order = _read(api, created["id"])
    sale = _price(order)
    assert sale.total == Decimal(payload["total"])
    assert sale.tax_total == Decimal(payload["total_tax"])
    assert sum((x.order_discount for x in sale.lines), Decimal(0)) == Decimal(
        payload["discount_total"])
    assert [(c.kind, c.net) for c in sale.charges] == [
        ("shipping", Decimal("5.00")), ("fee", Decimal("2.00"))]
    assert order.payment is not None
    # Processing, goods on their way: cash on delivery is not paid yet.
    assert payload["status"] == "processing"
    assert (order.payment.gateway, order.payment.paid) == ("cod", False)

    _ok(api.put(f"/orders/{created['id']}", json={"status": "completed"}))
    _, delivered = _read(api, created["id"])
    assert delivered.payment is not None
    assert delivered.payment.paid

    item = payload["line_items"][0]
    rate_id = payload["tax_lines"][0]["rate_id"]
    refund = _ok(api.post(f"/orders/{created['id']}/refunds", json={
        "api_refund": False, "api_restock": False, "line_items": [
            {"id": item["id"], "quantity": 1, "refund_total": "11.25",
             "refund_tax": [{"id": rate_id, "refund_total": "0.90"}]}]}), 201)
    _, refunded = _read(api, created["id"])
    [refund_read] = refunded.refunds
    sold = [SoldLine(line_no=n, sku=x.sku, quantity=x.quantity, net=x.net, tax=x.tax,
                     total=x.total, returned_quantity=Decimal(0), refunded_net=Decimal(0),
                     refunded_tax=Decimal(0)) for n, x in enumerate(sale.lines, start=1)]
    charges = [SoldCharge(c.kind, c.tax_rate, c.net, c.tax) for c in sale.charges]
    given = price_shop_refund(sold, charges, shop_refund(refund_read), currency=USD)
    assert given.total == Decimal(refund["amount"]) == Decimal("12.15")
    assert [(x.line_no, x.quantity, x.net, x.tax) for x in given.lines] == [
        (1, Decimal(1), Decimal("11.25"), Decimal("0.90"))]
