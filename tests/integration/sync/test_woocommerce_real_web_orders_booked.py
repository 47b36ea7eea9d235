"""Web orders placed in a real WooCommerce 10 (its 8 % US tax, a coupon, shipping, a fee,
cash on delivery, a refund) booked by tillflow through a connection to that shop, its
webhooks sent by the shop's own queue and its orders polled: each sale at the shop's
figures to the cent, and each order tillflow cannot record a dead letter of its own
with later orders still arriving.

Every test connects a store of its own to the module's shop, with SKUs of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from support.sync import FAST_RETRIES, SyncedStore, synced_store
from support.web_orders import (
    booked,
    by_base_role,
    dead_letter_for,
    recorded_rows,
    returns_of,
    sale_of,
)
from support.woocommerce_peer import REAL_WOO, WooShop
from tillflow.connectors.woocommerce.webhooks import TOPICS
from tillflow.db.tables_sync import sync_inbox
from tillflow.db.uow import engine_of
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncOptions

pytestmark = [pytest.mark.parametrize("database", ["postgresql"]), *REAL_WOO.marks]

HOOK_SECRET = "woo-real-orders-secret"
STOCK = 20
# The real shop answers in seconds under load and sends webhooks through its queue.
STALL = 60.0
POLL_SECONDS = 0.5
# Once a day: a worker that learns of orders by webhook alone.
WEBHOOKS_ONLY = 86_400.0
US_BUYER = {"first_name": "Dee", "last_name": "Smith", "country": "US", "state": "CA",
            "postcode": "94103", "city": "San Francisco"}


@pytest.fixture(scope="module")
def shop_api(woo_shop: WooShop) -> Iterator[httpx.Client]:
    with woo_shop.client(timeout=60) as client:
        yield client


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _shop_product(api: httpx.Client, sku: str) -> dict[str, Any] | None:
    found = [p for p in _ok(api.get("/products", params={"sku": sku, "status": "any"}))
             if p["sku"] == sku]
    return found[0] if found else None


def _shown(api: httpx.Client, sku: str) -> bool:
    # WordPress saves a new product before its meta: for a moment it has no stock figure.
    product = _shop_product(api, sku)
    return product is not None and product["stock_quantity"] == STOCK


@contextmanager
def _connected(ctx: ServiceContext, shop: WooShop, api: httpx.Client,
               prices: dict[str, str], *, poll_seconds: float = POLL_SECONDS
               ) -> Iterator[SyncedStore]:
    """A store with ``prices`` in stock, connected to the real shop; once the shop shows
    their stock. Its webhooks are taken off the shop afterwards."""
    options = SyncOptions(policy=FAST_RETRIES, poll_seconds=poll_seconds,
                          reconcile_seconds=0, lease_seconds=5)
    with synced_store(ctx, options=options, journal=True) as synced:
        till = synced.api
        till.location("S1")
        for sku, price in prices.items():
            till.product(sku, price)
            till.stock(sku, "S1", STOCK)
        till.ok(till.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": shop.url, "location": "S1",
                         "ca_file": str(shop.certificate)},
            "secrets": {"consumer_key": shop.consumer_key,
                        "consumer_secret": shop.consumer_secret,
                        "webhook_secret": HOOK_SECRET}}), 201)
        try:
            synced.work(until=lambda: all(_shown(api, sku) for sku in prices), stall=STALL)
            synced.work(until=lambda: len(_hooks(api, synced)) == len(TOPICS), stall=STALL)
            yield synced
        finally:
            for hook in _hooks(api, synced):
                api.delete(f"/webhooks/{hook['id']}", params={"force": "true"})


def _hooks(api: httpx.Client, store: SyncedStore) -> list[dict[str, Any]]:
    return [h for h in _ok(api.get("/webhooks", params={"per_page": 100}))
            if h["delivery_url"] == f"{store.url}/webhooks/woo"]


def _place(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = _ok(api.post("/orders", json=body), 201)
    return created


def _items(api: httpx.Client, *lines: tuple[str, int]) -> list[dict[str, Any]]:
    """Order lines by the shop's product id, as its checkout makes them."""
    found = []
    for sku, quantity in lines:
        product = _shop_product(api, sku)
        assert product is not None, sku
        found.append({"product_id": product["id"], "quantity": quantity})
    return found


def _paid_by_card(api: httpx.Client, email: str, *lines: tuple[str, int]) -> dict[str, Any]:
    return _place(api, {"payment_method": "stripe", "payment_method_title": "Credit card",
                        "set_paid": True, "billing": {**US_BUYER, "email": email},
                        "line_items": _items(api, *lines)})


def _sale(store: SyncedStore, order: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def arrived() -> bool:
        found["sale"] = sale_of(store.api, "woocommerce", str(order["id"]))
        return found["sale"] is not None

    store.work(until=arrived, stall=STALL)
    return dict(found["sale"])


def _journal(store: SyncedStore, reference: str) -> dict[str, Decimal]:
    store.work(until=lambda: bool(booked(store.api, reference)), stall=STALL)
    store.settle(stall=STALL)
    return booked(store.api, reference)


def _money(*amounts: str) -> Decimal:
    return sum((Decimal(a) for a in amounts), Decimal(0))


def test_a_taxed_order_with_a_coupon_shipping_and_a_fee_is_booked_as_the_shop_charged(
        ctx: ServiceContext, woo_shop: WooShop, shop_api: httpx.Client) -> None:
    prices = {"BK-A-MUG": "12.50", "BK-A-TEA": "4.99"}
    with _connected(ctx, woo_shop, shop_api, prices) as store:
        _ok(shop_api.post("/coupons", json={"code": "bk-ten", "discount_type": "percent",
                                            "amount": "10"}), 201)
        order = _place(shop_api, {
            "payment_method": "stripe", "payment_method_title": "Credit card",
            "set_paid": True,
            "billing": {**US_BUYER, "email": "dee.booked@example.com",
                        "phone": "(555) 010-0199"},
            "line_items": _items(shop_api, ("BK-A-MUG", 2), ("BK-A-TEA", 1)),
            "coupon_lines": [{"code": "bk-ten"}],
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate",
                                "total": "5.00"}],
            "fee_lines": [{"name": "Gift wrap", "total": "2.00", "tax_status": "taxable"}]})
        assert Decimal(order["discount_total"]) > 0
        assert Decimal(order["total_tax"]) > 0

        sale = _sale(store, order)
        assert (sale["total"], sale["tax_total"]) == (order["total"], order["total_tax"])
        lines = {x["sku"]: x for x in order["line_items"]}
        assert [(x["sku"], x["subtotal"], x["order_discount"], x["tax"])
                for x in sale["lines"]] == [
            (sku, lines[sku]["subtotal"],
             str(Decimal(lines[sku]["subtotal"]) - Decimal(lines[sku]["total"])),
             lines[sku]["total_tax"]) for sku in prices]
        shipping, fee = order["shipping_lines"][0], order["fee_lines"][0]
        assert [(c["kind"], c["title"], c["net"], c["tax"]) for c in sale["charges"]] == [
            ("shipping", "Flat rate", shipping["total"], shipping["total_tax"]),
            ("fee", "Gift wrap", fee["total"], fee["total_tax"])]
        assert [(p["method"], p["amount"]) for p in sale["payments"]] == [
            ("card", order["total"])]

        [dee] = store.api.ok(store.api.get("/customers",
                                           email="dee.booked@example.com"))["items"]
        assert sale["customer"] == dee["id"]
        assert dee["name"] == "Dee Smith"

        assert by_base_role(_journal(store, f"sale:{sale['number']}")) == {
            "revenue": -_money(*(x["total"] for x in order["line_items"])),
            "tax": -Decimal(order["total_tax"]), "shipping": -Decimal(shipping["total"]),
            "fees": -Decimal(fee["total"]), "tender:card": Decimal(order["total"])}


def test_cash_on_delivery_is_owed_until_the_shop_completes_the_order(
        ctx: ServiceContext, woo_shop: WooShop, shop_api: httpx.Client) -> None:
    with _connected(ctx, woo_shop, shop_api, {"BK-B-MUG": "12.50"}) as store:
        order = _place(shop_api, {
            "payment_method": "cod", "payment_method_title": "Cash on delivery",
            "status": "processing", "billing": {**US_BUYER, "email": "cod@example.com"},
            "line_items": _items(shop_api, ("BK-B-MUG", 1)),
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate",
                                "total": "3.00"}]})
        sale = _sale(store, order)
        assert sale["total"] == order["total"]
        assert [(p["method"], p["amount"]) for p in sale["payments"]] == [
            ("pay_later", order["total"])]
        assert "receivable" in _journal(store, f"sale:{sale['number']}")

        _ok(shop_api.put(f"/orders/{order['id']}", json={"status": "completed"}))

        def settled() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = store.api.ok(
                store.api.get(f"/sales/{sale['id']}"))["settlements"]
            return found

        store.work(until=lambda: bool(settled()), stall=STALL)
        assert [(s["method"], s["amount"]) for s in settled()] == [("other", order["total"])]
        paid = store.api.ok(store.api.get(f"/sales/{sale['id']}"))
        assert all(p["method"] != "card" for p in paid["payments"])
        assert _journal(store, f"settlement:{sale['number']}") == {
            "tender:other": Decimal(order["total"]), "receivable": -Decimal(order["total"])}
        assert "receivable" not in booked(store.api, "")


def test_a_refund_in_the_shop_becomes_a_return_of_its_amounts(
        ctx: ServiceContext, woo_shop: WooShop, shop_api: httpx.Client) -> None:
    with _connected(ctx, woo_shop, shop_api, {"BK-C-MUG": "8.00"}) as store:
        order = _place(shop_api, {
            "payment_method": "stripe", "payment_method_title": "Credit card",
            "set_paid": True, "billing": {**US_BUYER, "email": "refund@example.com"},
            "line_items": _items(shop_api, ("BK-C-MUG", 2)),
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate",
                                "total": "5.00"}]})
        sale = _sale(store, order)
        store.work(until=lambda: store.api.on_hand("BK-C-MUG", "S1") == STOCK - 2,
                   stall=STALL)
        item, shipping = order["line_items"][0], order["shipping_lines"][0]
        rate = order["tax_lines"][0]["rate_id"]
        refund = _ok(shop_api.post(f"/orders/{order['id']}/refunds", json={
            "api_refund": False, "line_items": [
                {"id": item["id"], "quantity": 1, "refund_total": "8.00",
                 "refund_tax": [{"id": rate, "refund_total": "0.64"}]},
                {"id": shipping["id"], "refund_total": "5.00",
                 "refund_tax": [{"id": rate, "refund_total": "0.40"}]}]}), 201)

        store.work(until=lambda: len(returns_of(store.api, sale["id"])) == 1, stall=STALL)
        [given] = returns_of(store.api, sale["id"])
        assert (given["total"], given["tax_total"]) == (refund["amount"], "1.04")
        assert refund["amount"] == "14.04"
        assert [(c["kind"], c["net"], c["tax"]) for c in given["charges"]] == [
            ("shipping", "5.00", "0.40")]
        assert [(r["method"], r["amount"]) for r in given["refunds"]] == [
            ("card", refund["amount"])]
        store.work(until=lambda: store.api.on_hand("BK-C-MUG", "S1") == STOCK - 1,
                   stall=STALL)


def _hooked(store: SyncedStore) -> set[str]:
    """The orders the shop's webhooks told of."""
    with engine_of(store.api.ctx.store).connect() as db:
        return set(db.execute(select(sync_inbox.c.external_id)
                              .where(sync_inbox.c.kind == "order")).scalars())


def _pause(api: httpx.Client, store: SyncedStore) -> None:
    """The shop stops sending tillflow its webhooks: orders arrive by polling alone."""
    for hook in _hooks(api, store):
        _ok(api.put(f"/webhooks/{hook['id']}", json={"status": "paused"}))


@pytest.mark.parametrize(("path", "poll_seconds", "cut_off"), [
    ("poll", POLL_SECONDS, _pause),
    ("webhook", WEBHOOKS_ONLY, lambda api, store: None)])
def test_orders_tillflow_cannot_record_are_dead_letters_and_later_orders_arrive(
        ctx: ServiceContext, woo_shop: WooShop, shop_api: httpx.Client, path: str,
        poll_seconds: float,
        cut_off: Callable[[httpx.Client, SyncedStore], None]) -> None:
    kept, renamed, withdrawn = (f"BK-{path.upper()}-{name}" for name in ("KEPT", "OLD", "OFF"))
    prices = dict.fromkeys((kept, renamed, withdrawn), "8.00")
    with _connected(ctx, woo_shop, shop_api, prices, poll_seconds=poll_seconds) as store:
        cut_off(shop_api, store)
        # Renamed in the shop (no webhook tells of it): tillflow has no such SKU.
        old = _shop_product(shop_api, renamed)
        assert old is not None
        _ok(shop_api.put(f"/products/{old['id']}", json={"sku": f"{renamed}-NEW"}))
        store.api.ok(store.api.patch(f"/products/{withdrawn}", {"active": False}))
        store.settle(stall=STALL)
        before = recorded_rows(store.api, customers=False)

        paid = {"payment_method": "stripe", "set_paid": True,
                "billing": {**US_BUYER, "email": "odd@example.com"}}
        [line] = _items(shop_api, (kept, 1))
        causes = {
            "has no SKU": _place(shop_api, {
                **paid, "line_items": [{"product_id": old["id"], "quantity": 1}]}),
            "not for sale": _paid_by_card(shop_api, "off@example.com", (withdrawn, 1)),
            "not the figures of a sale": _place(shop_api, {**paid, "line_items": [
                {**line, "subtotal": "-8.00", "total": "-8.00"}]}),
            "greater than zero": _place(shop_api, {**paid, "line_items": [
                {**line, "quantity": -1, "subtotal": "-8.00", "total": "-8.00"}]}),
            "contact details cannot be read": _place(shop_api, {
                **paid, "billing": {**US_BUYER, "phone": "12"}, "line_items": [line]}),
            "in EUR": _place(shop_api, {**paid, "currency": "EUR", "line_items": [line]}),
            "no lines": _place(shop_api, {**paid, "line_items": []}),
        }

        def dead(order: dict[str, Any]) -> dict[str, Any] | None:
            return dead_letter_for(store.api, "woo", str(order["id"]))

        store.work(until=lambda: all(dead(order) for order in causes.values()), stall=STALL)
        for reason, order in causes.items():
            letter = dead(order)
            assert letter is not None
            assert reason in letter["reason"], (reason, letter)
        store.settle(stall=STALL)
        assert recorded_rows(store.api, customers=False) == before

        good = _paid_by_card(shop_api, "good@example.com", (kept, 2))
        assert _sale(store, good)["total"] == good["total"] == "17.28"

        store.api.ok(store.api.patch(f"/products/{withdrawn}", {"active": True}))
        letter = dead(causes["not for sale"])
        assert letter is not None
        store.api.ok(store.api.post("/connections/woo/dead-letters/replay",
                                    {"ids": [letter["id"]]}))
        assert _sale(store, causes["not for sale"])["total"] == causes["not for sale"]["total"]
        assert dead(causes["not for sale"]) is None
        assert dead(causes["has no SKU"]) is not None  # listed until replayed
        told = {str(order["id"]) for order in (*causes.values(), good)}
        assert _hooked(store) & told == (told if path == "webhook" else set())
