"""Till sales become one order in each shop, customers are one person everywhere, and
products made in a shop arrive through its webhooks: both simulators, one store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from support.sync import SyncedStore, synced_store
from tillflow.db.tables import customers
from tillflow.db.tables_sync import sync_external_ids, sync_inbox
from tillflow.db.uow import engine_of
from tillflow.ports.commerce import SALE_SOURCE
from tillflow.services.context import ServiceContext
from tillflow.sync import idmap, work_queue
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator, accounts

SECRET = "whsec-two-way"


@dataclass
class Shops:
    store: SyncedStore
    shopify: ShopifySimulator
    woo: WooCommerceSimulator

    def shopify_orders(self) -> list[str]:
        with self.shopify.shop.store.lock:
            return [o.source_identifier or "" for o in self.shopify.shop.store.orders.values()]

    def woo_orders(self) -> list[str]:
        with self.woo.state.lock:
            return [next((str(m.value) for m in o.meta_data if m.key == "tillflow_sale"), "")
                    for o in self.woo.state.orders.values()]

    def shopify_customers(self) -> list[Any]:
        with self.shopify.shop.store.lock:
            return list(self.shopify.shop.store.customers.values())

    def woo_customers(self) -> list[Any]:
        """The shop's customers (its administrator is a WordPress user too)."""
        with self.woo.state.lock:
            return [c for c in self.woo.state.customers.values() if c.role == "customer"]

    def customers(self) -> list[dict[str, Any]]:
        api = self.store.api
        found: list[dict[str, Any]] = []
        for query in ({"email": "ada@example.com"}, {"email": "new@example.com"},
                      {"phone": "+14155550199"}):
            found += api.ok(api.get("/customers", **query))["items"]
        return found


@pytest.fixture
def shops(ctx: ServiceContext) -> Iterator[Shops]:
    with (ShopifySimulator(webhook_secret=SECRET) as shopify, WooCommerceSimulator() as woo,
          synced_store(ctx) as store):
        api = store.api
        api.location("S1")
        api.product("A1", "9.90")
        api.stock("A1", "S1", 10)
        api.register_with_shift("R1", "S1")
        key, secret = woo.auth
        api.ok(api.post("/connections", {
            "name": "shop", "platform": "shopify",
            "settings": {"shop_url": shopify.url, "location": "S1"},
            "secrets": {"access_token": shopify.access_token, "webhook_secret": SECRET}}), 201)
        api.ok(api.post("/connections", {
            "name": "woo", "platform": "woocommerce",
            "settings": {"shop_url": woo.url, "ca_file": str(woo.certificate),
                         "location": "S1"},
            "secrets": {"consumer_key": key, "consumer_secret": secret,
                        "webhook_secret": SECRET}}), 201)
        store.work(until=lambda: _shown(shopify, woo, "A1") == (10, 10))
        store.settle(quiet=0.3)
        yield Shops(store, shopify, woo)


def _shown(shopify: ShopifySimulator, woo: WooCommerceSimulator,
           sku: str) -> tuple[int | None, int | None]:
    try:
        return shopify.available(sku), woo.stock(sku)
    except Exception:  # not in one of the shops yet
        return None, None


def _sell(shops: Shops, sku: str, quantity: int, *more: tuple[str, int],
          **extra: Any) -> dict[str, Any]:
    lines = [{"sku": s, "quantity": q} for s, q in ((sku, quantity), *more)]
    sale: dict[str, Any] = shops.store.api.ok(shops.store.api.post("/sales", {
        "location": "S1", "register": "R1", "lines": lines,
        "payments": [{"method": "cash", "amount": "50.00"}], **extra}), 201)
    return sale


def test_a_till_sale_is_one_paid_order_in_each_shop_and_its_echo_is_no_web_sale(
        shops: Shops, ctx: ServiceContext) -> None:
    store = shops.store
    ada = store.api.ok(store.api.post("/customers", {"name": "Ada Lovelace",
                                                     "email": "ada@example.com"}), 201)
    # A product made and sold at once: its order waits until the product is in the shop.
    store.api.product("A2", "3.00")
    store.api.stock("A2", "S1", 4)
    sale = _sell(shops, "A1", 2, ("A2", 1), customer=ada["id"])
    source = f"{SALE_SOURCE}{sale['id']}"
    store.work(until=lambda: source in shops.shopify_orders() and source in shops.woo_orders())
    assert shops.shopify.wait_for_webhooks()
    store.settle(quiet=0.5)
    # The order names the customer, who is one customer in each shop.
    [order] = [o for o in shops.shopify.shop.store.orders.values()
               if o.source_identifier == source]
    assert order.customer is not None
    assert order.customer.email == "ada@example.com"
    assert order.display_financial_status == "PAID"
    assert sorted((line.sku, line.quantity) for line in order.line_items) == [
        ("A1", 2), ("A2", 1)]
    assert _shown(shops.shopify, shops.woo, "A2") == (3, 3)
    assert [c.email for c in shops.shopify_customers()] == ["ada@example.com"]
    [woo_order] = [o for o in shops.woo.state.orders.values()
                   if any(m.value == source for m in o.meta_data)]
    [woo_ada] = shops.woo_customers()
    assert (woo_order.customer_id, woo_order.status) == (woo_ada.id, "completed")
    # The shops announced the orders; they are tillflow's own, so no web sale and no stock.
    for channel in ("shopify", "woocommerce"):
        assert store.api.ok(store.api.get("/sales", channel=channel))["items"] == []
    assert store.api.on_hand("A1", "S1") == 8
    assert _shown(shops.shopify, shops.woo, "A1") == (8, 8)
    with engine_of(ctx.store).connect() as connection:
        mapped = connection.execute(select(sync_external_ids.c.connection).where(
            sync_external_ids.c.kind == idmap.ORDER,
            sync_external_ids.c.local_id == sale["id"])).scalars().all()
        assert sorted(mapped) == ["shop", "woo"]
        # The same sale queued again (a replayed event) makes no second order.
        work_queue.enqueue(connection, [{"connection": name, "event_seq": -1, "kind": "sale",
                                    "key": f"sale:{sale['id']}", "payload": {"sale": sale["id"]}}
                                   for name in ("shop", "woo")],
                      now=ctx.clock())
        connection.commit()
    store.settle(quiet=0.3)
    assert shops.shopify_orders().count(source) == shops.woo_orders().count(source) == 1

    # A return of the sale is one refund on each order; its units come back as stock.
    store.api.ok(store.api.post(f"/sales/{sale['id']}/returns", {
        "register": "R1", "lines": [{"sku": "A1", "quantity": 1}]}), 201)
    store.work(until=lambda: len(order.refunds) == 1 and len(woo_order.refunds) == 1)
    store.settle(quiet=0.5)
    assert (len(order.refunds), len(woo_order.refunds)) == (1, 1)
    assert order.refunds[0].lines[0].restock_type == "NO_RESTOCK"
    assert woo_order.refunds[0].refunded_payment is False
    assert store.api.on_hand("A1", "S1") == 9
    assert _shown(shops.shopify, shops.woo, "A1") == (9, 9)
    for channel in ("shopify", "woocommerce"):
        assert store.api.ok(store.api.get("/sales", channel=channel))["items"] == []

    # A shop can be left out of till sales.
    store.api.ok(store.api.patch("/connections/woo", {"settings": {"push_pos_sales": False}}))
    left_out = f"{SALE_SOURCE}{_sell(shops, 'A1', 1)['id']}"
    store.work(until=lambda: left_out in shops.shopify_orders())
    store.settle(quiet=0.3)
    assert left_out not in shops.woo_orders()
    assert _shown(shops.shopify, shops.woo, "A1") == (8, 8)

    # A sale the shop cannot take (its product is gone there) is a dead letter, with why.
    store.api.ok(store.api.patch("/connections/woo", {"settings": {"push_pos_sales": True}}))
    with shops.woo.state.lock:
        for product in list(shops.woo.state.products.values()):
            if product.sku == "A1":
                product.sku = "A1-RENAMED"
    refused = f"{SALE_SOURCE}{_sell(shops, 'A1', 1)['id']}"
    store.work(until=lambda: refused in shops.shopify_orders())
    store.settle(quiet=0.5)
    dead = [d for d in store.api.ok(store.api.get("/connections/woo/dead-letters"))["items"]
            if d["kind"] == "sale"]
    assert len(dead) == 1
    assert "A1" in dead[0]["last_error"]
    assert refused not in shops.woo_orders()
    assert store.api.ok(store.api.get("/connections/shop"))["failed"] == 0

    # The shop cancels tillflow's order after losing its mark: the external-id map still
    # knows it as tillflow's own, so nothing comes back into the ledger.
    with shops.woo.state.lock:
        woo_order.meta_data.clear()
    with shops.woo.client() as woo_api:
        cancelled = woo_api.put(f"/orders/{woo_order.id}", json={"status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    store.work(until=lambda: _inbox_done(ctx, "order.updated", str(woo_order.id)))
    assert store.api.on_hand("A1", "S1") == 7
    assert store.api.ok(store.api.get("/sales", channel="woocommerce"))["items"] == []


def _inbox_done(ctx: ServiceContext, topic: str, resource: str) -> bool:
    with engine_of(ctx.store).connect() as connection:
        return bool(connection.execute(select(sync_inbox.c.id).where(
            sync_inbox.c.topic == topic, sync_inbox.c.external_id == resource,
            sync_inbox.c.status == work_queue.DONE,
            sync_inbox.c.body.contains('"cancelled"'))).first())


def test_customers_are_one_person_and_shop_products_arrive(shops: Shops,
                                                           ctx: ServiceContext) -> None:
    store, api = shops.store, shops.store.api
    api.ok(api.post("/customers", {"name": "Ada Lovelace", "email": "Ada@Example.com"}), 201)
    cy = api.ok(api.post("/customers", {"name": "Cy", "phone": "+1 415 555 0199"}), 201)
    store.work(until=lambda: len(shops.shopify_customers()) == 2
               and len(shops.woo_customers()) == 1)
    store.settle(quiet=0.5)
    ada = next(c for c in shops.shopify_customers() if c.email == "ada@example.com")
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    [woo_ada] = shops.woo_customers()  # Cy has no email, which WooCommerce needs
    assert (woo_ada.email, woo_ada.first_name) == ("ada@example.com", "Ada")

    # The shop renames Ada: tillflow owns the name once it has one.
    shops.shopify.shop.store.update_customer(ada, first_name="Augusta")
    # The shop gives Cy an email: tillflow lacked one, so it takes it, and pushes it on.
    shopify_cy = next(c for c in shops.shopify_customers() if c.phone == "+14155550199")
    shops.shopify.shop.store.update_customer(shopify_cy, email="cy@example.com")
    # A shopper registers in WooCommerce: a new tillflow customer, pushed to Shopify.
    with shops.woo.state.lock:
        accounts.create_customer(shops.woo.state, {"email": "new@example.com",
                                                   "first_name": "Nel"})
    # One with nothing tillflow can match or keep: nothing is written.
    shops.shopify.shop.store.create_customer(first_name="Anonymous")
    store.work(until=lambda: len(shops.woo_customers()) == 3
               and any(c.email == "new@example.com" for c in shops.shopify_customers()))
    store.settle(quiet=0.5)

    found = {c["email"] or c["phone"]: c for c in shops.customers()}
    assert found["ada@example.com"]["name"] == "Ada Lovelace"
    assert found["cy@example.com"]["id"] == cy["id"]
    assert found["cy@example.com"]["phone"] == "+14155550199"
    assert found["new@example.com"]["name"] == "Nel"
    assert len(api.ok(api.get("/customers", email="cy@example.com"))["items"]) == 1
    assert len(api.ok(api.get("/customers", email="new@example.com"))["items"]) == 1
    assert api.ok(api.get("/customers", phone="+14155550199"))["items"][0]["id"] == cy["id"]
    assert sorted(c.email for c in shops.woo_customers()) == [
        "ada@example.com", "cy@example.com", "new@example.com"]
    assert len([c for c in shops.shopify_customers() if c.email == "new@example.com"]) == 1
    with engine_of(ctx.store).connect() as connection:  # Ada, Cy and Nel; not the anonymous one
        assert connection.execute(select(func.count()).select_from(customers)).scalar() == 3
    for channel in ("shop", "woo"):
        assert api.ok(api.get(f"/connections/{channel}"))["failed"] == 0

    _products_made_in_the_shops_arrive_through_their_webhooks(shops)


def _products_made_in_the_shops_arrive_through_their_webhooks(shops: Shops) -> None:
    store, api = shops.store, shops.store.api
    [from_shopify] = shops.shopify.seed(1)
    [from_woo] = shops.woo.seed(1)
    shopify_sku = str(from_shopify.variants[0].sku)
    woo_sku = str(from_woo["sku"])
    shops.shopify.shop.store.create_product(title="No SKU here")  # nothing to import

    def arrived() -> bool:
        return all(api.get(f"/products/{sku}").status_code == 200
                   for sku in (shopify_sku, woo_sku))
    store.work(until=arrived)
    store.settle(quiet=0.5)
    assert api.on_hand(shopify_sku, "S1") == shops.shopify.available(shopify_sku)
    assert api.on_hand(woo_sku, "S1") == shops.woo.stock(woo_sku)
    # Each now reaches the other shop too, with tillflow's figure.
    assert shops.woo.stock(shopify_sku) == shops.shopify.available(shopify_sku)
    assert shops.shopify.available(woo_sku) == shops.woo.stock(woo_sku)
    listed = api.ok(api.get("/products", limit=50))["items"]
    assert sorted(p["sku"] for p in listed) == sorted(["A1", shopify_sku, woo_sku])
