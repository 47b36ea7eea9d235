"""The Vendure channel against the real server, call by call: what the sync engine
relies on, including what Vendure itself does not promise (unique SKUs, one order per
till sale)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import create_products, update_variant, variants
from tillflow.connectors.common.signatures import signature
from tillflow.connectors.vendure.adapter import VendureChannel
from tillflow.ports.commerce import (
    ORDER,
    RETURN_SOURCE,
    SALE_SOURCE,
    BadWebhook,
    Buyer,
    OrderLine,
    PosRefund,
    PosSale,
    ProductData,
    Rejected,
    StaleStock,
    StockTarget,
)

PAYMENTS = """query($id: ID!) { order(id: $id) { payments { refunds { id state total } } } }"""


def _product(shop: VendureChannel, sku: str, *, available: int = 0) -> str:
    return shop.upsert_product(ProductData(sku=sku, title=f"Item {sku}", price=Decimal("9.90"),
                                           barcode=None, status="active",
                                           available=available)).external_id


def _sale(source: str, *lines: tuple[str, int]) -> PosSale:
    return PosSale(source_id=source, number="R1-0001", placed_at="2026-11-26T18:00:00Z",
                   currency="USD", total=Decimal("19.80"),
                   lines=tuple(OrderLine(sku, qty, Decimal("9.90")) for sku, qty in lines))


def test_stock_honours_allocation_threshold_and_the_figure_it_was_read_at(
        shop: VendureChannel, vendure: Vendure) -> None:
    _product(shop, "CH-1", available=5)
    where = shop.primary_location
    with vendure.admin() as admin:
        variant = variants(admin, ["CH-1"])["CH-1"]["id"]
        update_variant(admin, variant, useGlobalOutOfStockThreshold=False,
                       outOfStockThreshold=2)
    assert shop.stock(["CH-1"], where) == {"CH-1": 3}
    with pytest.raises(StaleStock):
        shop.set_stock([StockTarget("CH-1", where, 9, expected=5)], idempotency_key="k")
    shop.set_stock([StockTarget("CH-1", where, 9, expected=3)], idempotency_key="k")
    assert shop.stock(["CH-1"], where) == {"CH-1": 9}
    with vendure.admin() as admin:
        assert variants(admin, ["CH-1"])["CH-1"]["stockOnHand"] == 11
    with pytest.raises(Rejected, match="no stock location"):
        shop.stock(["CH-1"], "999")


def test_products_are_created_once_updated_and_read_by_their_shop_id(
        shop: VendureChannel) -> None:
    made = _product(shop, "CH-2")
    again = shop.upsert_product(ProductData(sku="CH-2", title="Renamed", price=Decimal("1.25"),
                                            barcode=None, status="draft"))
    assert (again.external_id, again.created) == (made, False)
    [found] = shop.product(made)
    assert (found.sku, found.title, found.price, found.status) == (
        "CH-2", "Renamed", Decimal("1.25"), "draft")
    assert shop.product("999999") == []
    assert shop.stock(["NOPE"], shop.primary_location) == {}
    with pytest.raises(Rejected, match="not in the Vendure catalog"):
        shop.set_stock([StockTarget("NOPE", shop.primary_location, 1, None)],
                       idempotency_key="k")


def test_a_sku_on_two_variants_is_refused_naming_both(
        shop: VendureChannel, vendure: Vendure) -> None:
    with vendure.admin() as admin:
        ids = create_products(admin, [("CH-DUP", "One", 100, 1), ("CH-DUP", "Two", 100, 1)])
    try:
        for call in (lambda: shop.stock(["CH-DUP"], shop.primary_location),
                     lambda: _product(shop, "CH-DUP")):
            with pytest.raises(Rejected, match=f"{ids[0]}, {ids[1]}"):
                call()
        listed, _ = shop.products(None)
        assert "CH-DUP" not in {p.sku for p in listed}
    finally:
        with vendure.admin() as admin:
            update_variant(admin, ids[1], sku="CH-DUP-2")


def test_a_till_sale_becomes_one_paid_order_that_leaves_the_stock_alone(
        shop: VendureChannel) -> None:
    _product(shop, "CH-3", available=1)
    where = shop.primary_location
    source = f"{SALE_SOURCE}ch-1"
    order_id = shop.push_sale(_sale(source, ("CH-3", 2)))
    assert shop.push_sale(_sale(source, ("CH-3", 2))) == order_id
    order = shop.order(order_id)
    assert order is not None
    assert (order.source_id, order.placed) == (source, True)
    assert [(x.sku, x.quantity, x.unit_price, x.amount) for x in order.lines] == [
        ("CH-3", 2, Decimal("9.90"), Decimal("19.80"))]
    assert shop.stock(["CH-3"], where) == {"CH-3": 1}
    with pytest.raises(Rejected):
        shop.push_sale(_sale(f"{SALE_SOURCE}ch-2", ("NOPE", 1)))


def test_a_till_return_becomes_one_settled_refund_on_its_order(
        shop: VendureChannel, vendure: Vendure) -> None:
    _product(shop, "CH-4", available=4)
    order_id = shop.push_sale(_sale(f"{SALE_SOURCE}ch-4", ("CH-4", 2)))
    refund = PosRefund(source_id=f"{RETURN_SOURCE}ch-4", order_id=order_id, number="R1-R1",
                       currency="USD", total=Decimal("9.90"),
                       lines=(OrderLine("CH-4", 1, Decimal("9.90")),))
    made = shop.push_refund(refund)
    assert shop.push_refund(refund) == made
    with vendure.admin() as admin:
        payments = admin.execute(PAYMENTS, {"id": order_id})["order"]["payments"]
    [payment] = payments
    assert [(r["id"], r["state"], r["total"]) for r in payment["refunds"]] == [
        (made, "Settled", 990)]
    assert shop.stock(["CH-4"], shop.primary_location) == {"CH-4": 4}
    with pytest.raises(Rejected):
        shop.push_refund(PosRefund(source_id=f"{RETURN_SOURCE}ch-5", order_id="999999",
                                   number="R1-R2", currency="USD", total=Decimal("1.00"),
                                   lines=()))


def test_customers_are_matched_by_email_then_phone_and_never_duplicated(
        shop: VendureChannel) -> None:
    first = shop.upsert_customer(Buyer("ch@example.com", None, "Cy", None), None)
    again = shop.upsert_customer(Buyer("ch@example.com", "+14155550199", None, "Ek"), None)
    by_phone = shop.upsert_customer(Buyer(None, "+14155550199", "Cyd", None), None)
    assert first.created
    assert not again.created
    assert not by_phone.created
    assert first.external_id == again.external_id == by_phone.external_id
    found = shop.customer(first.external_id)
    assert found is not None
    assert (found.email, found.phone, found.first_name, found.last_name) == (
        "ch@example.com", "+14155550199", "Cyd", "Ek")
    changed, cursor = shop.customer_changes(found.updated_at)
    assert first.external_id in {c.external_id for c in changed}
    assert cursor is not None
    assert cursor >= found.updated_at
    with pytest.raises(Rejected, match="email"):
        shop.upsert_customer(Buyer(None, "+14155550100", "No", "Mail"), None)


def test_plugin_webhooks_are_verified_over_the_raw_body(shop: VendureChannel) -> None:
    body = json.dumps({"id": "d-1", "topic": "order.state", "occurred_at": "x",
                       "data": {"id": "42", "to": "PaymentSettled"}}).encode()
    message = shop.read_webhook({"x-tillflow-signature": signature(WEBHOOK_SECRET, body)}, body)
    assert (message.delivery_id, message.kind, message.external_id) == ("d-1", ORDER, "42")
    with pytest.raises(BadWebhook):
        shop.read_webhook({"x-tillflow-signature": signature("other", body)}, body)
    with pytest.raises(BadWebhook):
        shop.read_webhook({"x-tillflow-signature": signature(WEBHOOK_SECRET, body)},
                          body + b" ")
