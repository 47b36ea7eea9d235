"""A till and a real Vendure kept in step: the catalog both ways, web orders, POS sales,
cancellations, customers, duplicate SKUs and the reconciler, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from support.sync import FAST_RETRIES, SyncedStore, synced_store
from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import (
    cancel,
    checkout,
    create_products,
    update_variant,
    variants,
)
from support.waiting import wait_until
from tillflow.connectors.vendure.adapter import VendureChannel
from tillflow.connectors.vendure.factory import vendure_channel
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncOptions

PRIMARY = "1"  # the seeded Vendure's default stock location
TILL_ORDERS = """query($source: String!) {
  orders(options: {filter: {tillflowSaleId: {eq: $source}}}) {
    items { id payments { refunds { state } } } } }"""
CREATE_CUSTOMER = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  ... on Customer { id } } }"""


@contextmanager
def _channel(vendure: Vendure) -> Iterator[VendureChannel]:
    channel = vendure_channel({"shop_url": vendure.peer.url},
                              {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET})
    try:
        yield channel
    finally:
        channel.close()


def connect(store: SyncedStore, vendure: Vendure) -> None:
    store.api.ok(store.api.post("/connections", {
        "name": "vendure", "platform": "vendure",
        "settings": {"shop_url": vendure.peer.url, "location": "S1"},
        "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)


def _shown(shop: VendureChannel, skus: list[str]) -> dict[str, int]:
    return shop.stock(skus, PRIMARY)


def _variant(vendure: Vendure, sku: str) -> str:
    with vendure.admin() as admin:
        return str(variants(admin, [sku])[sku]["id"])


def _pending(store: SyncedStore) -> int:
    return int(store.engine.health("vendure")["pending"])


def _sales(store: SyncedStore) -> list[dict[str, object]]:
    items: list[dict[str, object]] = store.api.ok(
        store.api.get("/sales", channel="vendure", limit=200))["items"]
    return items


@pytest.mark.parametrize("database", ["postgresql"])
def test_initial_sync_both_ways_of_200_products_then_rename_and_reprice(
        ctx: ServiceContext, own_vendure: Vendure) -> None:
    with synced_store(ctx) as store, _channel(own_vendure) as shop:
        own_vendure.attach(store.url)
        store.api.location("S1")
        _catalog_both_ways(store, own_vendure, shop)


def _catalog_both_ways(store: SyncedStore, vendure: Vendure, shop: VendureChannel) -> None:
    api = store.api
    ours = [f"TF-{n:03}" for n in range(100)]
    theirs = [f"VN-{n:03}" for n in range(100)]
    for n, sku in enumerate(ours):
        api.product(sku, "2.50")
        api.stock(sku, "S1", n % 7 + 1)
    with vendure.admin() as admin:
        create_products(admin, [(sku, f"Vendure {sku}", 199 + n, n % 5)
                                for n, sku in enumerate(theirs)])
    connect(store, vendure)
    store.work(until=lambda: _shown(shop, ours) == {s: n % 7 + 1 for n, s in enumerate(ours)})
    api.ok(api.post("/connections/vendure/sync", {"scope": "all"}), 202)
    store.work(until=lambda: all(api.get(f"/products/{s}").status_code == 200 for s in theirs))
    store.settle()

    for n, sku in enumerate(theirs):
        product = api.ok(api.get(f"/products/{sku}"))
        assert (product["name"], product["price"]) == (f"Vendure {sku}", f"{(199 + n) / 100:.2f}")
        assert api.on_hand(sku, "S1") == n % 5
    assert _shown(shop, theirs) == {s: n % 5 for n, s in enumerate(theirs)}
    with vendure.admin() as admin:
        mine = variants(admin, ours)
    assert {sku: (v["name"], v["price"]) for sku, v in mine.items()} == {
        sku: (f"Product {sku}", 250) for sku in ours}

    # Renamed and repriced in tillflow: a product of tillflow's and one imported from Vendure.
    api.ok(api.patch("/products/TF-007", {"name": "Renamed tea", "price": "3.10"}))
    api.ok(api.patch("/products/VN-005", {"name": "Renamed coffee", "price": "7.25"}))
    with vendure.admin() as admin:
        made = variants(admin, ["VN-005"])["VN-005"]
    store.work(until=lambda: _titles(shop, [mine["TF-007"], made]) == {
        "TF-007": ("Renamed tea", "3.10"), "VN-005": ("Renamed coffee", "7.25")})
    assert _shown(shop, ["TF-007", "VN-005"]) == {"TF-007": 1, "VN-005": 0}

    # Renamed and repriced in Vendure: tillflow owns these fields, so its own values come
    # back with its next change of the product.
    with vendure.admin() as admin:
        update_variant(admin, mine["TF-008"]["id"], price=999,
                       translations=[{"languageCode": "en", "name": "Vendure's name"}])
        renamed = variants(admin, ["TF-008"])["TF-008"]
    assert (renamed["name"], renamed["price"]) == ("Vendure's name", 999)
    store.settle()
    assert api.ok(api.get("/products/TF-008"))["name"] == "Product TF-008"
    api.ok(api.patch("/products/TF-008", {"price": "2.60"}))
    store.work(until=lambda: _titles(shop, [mine["TF-008"]]) == {
        "TF-008": ("Product TF-008", "2.60")})


def _titles(shop: VendureChannel, found: list[dict[str, object]]) -> dict[str, tuple[str, str]]:
    titles: dict[str, tuple[str, str]] = {}
    for variant in found:
        for product in shop.product(str(variant["productId"])):
            titles[product.sku] = (product.title, str(product.price))
    return titles

def test_web_order_pos_sale_cancellation_and_customer(
        store: SyncedStore, vendure: Vendure, shop: VendureChannel, database: str) -> None:
    api, sku = store.api, f"WEB-{database}"
    api.product(sku, "4.00")
    api.stock(sku, "S1", 10)
    api.register_with_shift("R1", "S1")
    connect(store, vendure)
    store.work(until=lambda: _shown(shop, [sku]) == {sku: 10})
    check = api.ok(api.post("/connections/vendure/check"))
    assert (check["ok"], check["problems"]) == (True, [])
    variant = _variant(vendure, sku)
    vendure.relay.copies = 2  # every webhook delivered twice

    order = checkout(vendure.peer.url, [(variant, 3)], email=f"Ana.{database}@Example.com")
    store.work(until=lambda: len(_sales(store)) == 1)
    [sale] = _sales(store)
    assert (sale["external_id"], sale["channel"]) == (order, "vendure")
    assert api.on_hand(sku, "S1") == 7
    # The order is allocated in Vendure and counted in tillflow's ledger, once.
    store.settle()
    assert _shown(shop, [sku]) == {sku: 7}

    till = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "lines": [{"sku": sku, "quantity": 2}],
        "payments": [{"method": "cash", "amount": "50.00"}]},
        headers={"Idempotency-Key": f"pos-{database}"}), 201)
    store.work(until=lambda: _shown(shop, [sku]) == {sku: 5} and not _pending(store))
    # The till sale is a paid order in Vendure too: allocated there, and offset in
    # stockOnHand, so the shop offers exactly tillflow's figure.
    with vendure.admin() as admin:
        level = variants(admin, [sku])[sku]
    assert (level["stockOnHand"], level["stockAllocated"]) == (10, 5)
    found = api.ok(api.get("/customers", email=f"ana.{database}@example.com"))["items"]
    assert len(found) == 1

    with vendure.admin() as admin:
        cancel(admin, order)
    store.work(until=lambda: api.on_hand(sku, "S1") == 8)
    store.settle()
    assert _shown(shop, [sku]) == {sku: 8}
    assert len(_sales(store)) == 1

    # A till return of the pushed sale: one settled refund on its Vendure order, and the
    # unit back on the shelf reaches Vendure as stock.
    api.ok(api.post(f"/sales/{till['id']}/returns", {
        "register": "R1", "lines": [{"sku": sku, "quantity": 1}]}), 201)
    store.work(until=lambda: _shown(shop, [sku]) == {sku: 9} and not _pending(store))
    with vendure.admin() as admin:
        [pos_order] = admin.execute(TILL_ORDERS, {"source": f"tillflow-sale-{till['id']}"}
                                    )["orders"]["items"]
    assert [r["state"] for p in pos_order["payments"] for r in p["refunds"]] == ["Settled"]


def test_customers_both_ways(store: SyncedStore, vendure: Vendure, shop: VendureChannel,
                             database: str) -> None:
    api = store.api
    connect(store, vendure)
    store.settle()
    api.ok(api.post("/customers", {"name": "Till Person", "email": f"till.{database}@example.com",
                                   "phone": None}), 201)
    api.ok(api.post("/customers", {"name": "Phone Only", "email": None,
                                   "phone": "+14155550142"}), 201)
    with vendure.admin() as admin:
        admin.execute(CREATE_CUSTOMER, {"input": {
            "emailAddress": f"web.{database}@example.com", "firstName": "Web",
            "lastName": "Person"}})

    def vendure_has() -> bool:
        found, _ = shop.customer_changes(None)
        return f"till.{database}@example.com" in {c.email for c in found}

    store.work(until=lambda: vendure_has() and bool(api.ok(api.get(
        "/customers", email=f"web.{database}@example.com"))["items"]))
    [person] = api.ok(api.get("/customers", email=f"web.{database}@example.com"))["items"]
    assert person["name"] == "Web Person"
    store.settle()
    found, _ = shop.customer_changes(None)
    mine = [c for c in found if c.email == f"till.{database}@example.com"]
    assert [(c.first_name, c.last_name) for c in mine] == [("Till", "Person")]
    # Vendure cannot hold a customer without an email: left out, not a failure.
    assert store.engine.dead_letters("vendure") == []


@pytest.mark.parametrize("database", ["sqlite"])  # the connector, not the database
def test_plugin_holds_webhooks_while_tillflow_is_down(ctx: ServiceContext,
                                                     vendure: Vendure) -> None:
    """No polling here: the order arrives only through the plugin's retried webhook."""
    options = SyncOptions(policy=FAST_RETRIES, poll_seconds=0, reconcile_seconds=0,
                          lease_seconds=5)
    with synced_store(ctx, options=options) as store, _channel(vendure) as shop:
        vendure.attach(store.url)
        sku = f"DOWN-{store.url.rsplit(':', 1)[1]}"
        store.api.location("S1")
        store.api.product(sku, "4.00")
        store.api.stock(sku, "S1", 5)
        connect(store, vendure)
        store.work(until=lambda: _shown(shop, [sku]) == {sku: 5})
        store.settle()
        refused = vendure.relay.refused
        vendure.relay.target = None  # tillflow unreachable: the relay answers 503
        order = checkout(vendure.peer.url, [(_variant(vendure, sku), 2)],
                         email="down@example.com")
        wait_until(lambda: vendure.relay.refused > refused, timeout=10,
                   message="the plugin never tried to deliver the order's webhook")
        assert _sales(store) == []
        vendure.relay.target = store.url
        store.work(until=lambda: [s["external_id"] for s in _sales(store)] == [order])
        assert store.api.on_hand(sku, "S1") == 3


@pytest.mark.parametrize("database", ["sqlite"])  # the connector, not the database
def test_bad_settings_are_refused_and_nothing_is_stored(store: SyncedStore,
                                                       vendure: Vendure) -> None:
    for settings in ({"shop_url": "ftp://x", "location": "S1"},
                     {"shop_url": vendure.peer.url, "location": "S1", "channel": ""},
                     {"shop_url": vendure.peer.url, "location": "S1", "colour": "red"}):
        refused = store.api.post("/connections", {
            "name": "vendure", "platform": "vendure", "settings": settings,
            "secrets": {"api_key": vendure.api_key}})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "validation_error"
    refused = store.api.post("/connections", {
        "name": "vendure", "platform": "vendure",
        "settings": {"shop_url": vendure.peer.url, "location": "S1"}, "secrets": {}})
    assert refused.status_code == 422, refused.text
    assert store.api.get("/connections/vendure").status_code == 404


@pytest.mark.parametrize("database", ["sqlite"])  # the connector, not the database
def test_duplicate_skus_are_refused_and_reported(
        store: SyncedStore, vendure: Vendure, shop: VendureChannel, database: str) -> None:
    sku = f"DUP-{database}"
    with vendure.admin() as admin:
        ids = create_products(admin, [(sku, "First", 100, 1), (sku, "Second", 100, 1)])
    store.api.product(sku, "1.00")
    connect(store, vendure)
    # Web orders of the module's earlier tests, for SKUs this store lacks, are dead
    # letters of their own: the duplicate is the one naming this SKU.
    def about_the_sku() -> list[dict[str, Any]]:
        return [d for d in store.engine.dead_letters("vendure")
                if sku in (d["last_error"] or "")]

    store.work(until=lambda: bool(about_the_sku()))
    [dead] = about_the_sku()
    assert all(variant_id in dead["last_error"] for variant_id in ids)
    check = store.api.ok(store.api.post("/connections/vendure/check"))
    assert not check["ok"]
    assert any(sku in problem for problem in check["problems"])
    with vendure.admin() as admin:  # made unique again, for the other tests
        update_variant(admin, ids[1], sku=f"{sku}-2")


def test_reconciliation_heals_a_stock_level_changed_in_vendure(
        store: SyncedStore, vendure: Vendure, shop: VendureChannel, database: str) -> None:
    api, sku = store.api, f"REC-{database}"
    api.product(sku, "4.00")
    api.stock(sku, "S1", 12)
    connect(store, vendure)
    store.work(until=lambda: _shown(shop, [sku]) == {sku: 12})
    store.settle()
    variant = _variant(vendure, sku)
    with vendure.admin() as admin:
        update_variant(admin, variant, stockLevels=[{"stockLocationId": PRIMARY,
                                                     "stockOnHand": 40}])
    assert _shown(shop, [sku]) == {sku: 40}

    api.ok(api.post("/connections/vendure/sync", {"scope": "all"}), 202)
    store.work(until=lambda: _shown(shop, [sku]) == {sku: 12})
    report = api.ok(api.get("/connections/vendure/reconciliations/latest"))
    [drift] = [item for item in report["items"] if item.get("sku") == sku]
    assert (drift["tillflow"], drift["shop"]) == ("12", "40")
    assert api.on_hand(sku, "S1") == 12
