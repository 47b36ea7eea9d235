"""A till and a Magento store kept in step, end to end over HTTP: products saleable on the
website, guest checkouts booked as sales at what Magento charged, reservations of open
orders counted once, cancellations and credit memos back as returns."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from support.magento_shop import admin, cancel, checkout, invoice, refund, ship
from support.sync import SyncedStore, synced_store
from tillflow.services.context import ServiceContext
from tillflow_simulators.magento import MagentoSimulator
from tillflow_simulators.magento.errors import MagentoError


@pytest.fixture
def store(ctx: ServiceContext, magento: MagentoSimulator,
          request: pytest.FixtureRequest) -> Iterator[SyncedStore]:
    sku = _sku(request)
    with synced_store(ctx) as synced:
        api = synced.api
        api.location("S1")
        api.product(sku, "8.00")
        api.stock(sku, "S1", 6)
        assert magento.access_token is not None
        api.ok(api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": magento.url, "location": "S1", "source": "default"},
            "secrets": {"access_token": magento.access_token}}), 201)
        synced.work(until=lambda: _salable(magento, sku) == 6)
        yield synced


def _sku(request: pytest.FixtureRequest) -> str:
    """A SKU of this test's own, the same on every run."""
    return f"MF-{zlib.crc32(request.node.name.encode()):08x}"


def _salable(magento: MagentoSimulator, sku: str) -> Decimal | None:
    try:
        return magento.salable_quantity(sku)
    except MagentoError:  # not created in Magento yet
        return None


def _settled(store: SyncedStore, sale_id: str) -> bool:
    return bool(store.api.ok(store.api.get(f"/sales/{sale_id}"))["settlements"])


def _magento_sales(store: SyncedStore) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = store.api.ok(
        store.api.get("/sales", channel="magento"))["items"]
    return items


def test_a_pushed_product_is_saleable_on_the_default_website(
        store: SyncedStore, magento: MagentoSimulator, request: pytest.FixtureRequest) -> None:
    product = magento.product(_sku(request))
    assert (product.status, product.visibility, product.website_ids) == (1, 4, [1])
    assert product.price == Decimal("8.00")
    assert magento.source_quantity(product.sku) == 6
    check = store.api.ok(store.api.post("/connections/magento/check"))
    assert check["ok"], check


def test_a_guest_checkout_is_one_sale_at_what_magento_charged_and_counts_once(
        store: SyncedStore, magento: MagentoSimulator, request: pytest.FixtureRequest) -> None:
    sku = _sku(request)
    order = checkout(magento, [(sku, 2)], email="flow@example.com")
    assert magento.order(int(order)).status == "pending"
    store.work(until=lambda: store.api.on_hand(sku, "S1") == 4)
    [sale] = _magento_sales(store)
    assert sale["external_id"] == order
    placed = magento.order(int(order))
    assert Decimal(str(sale["total"])) == placed.grand_total  # goods and flat-rate shipping
    store.settle()
    # The order's reservation is Magento's and tillflow's both: counted once.
    assert magento.source_quantity(sku) == 6
    assert magento.salable_quantity(sku) == 4
    ship(magento, order)  # the shipment takes the goods off the source
    store.settle()
    assert magento.source_quantity(sku) == magento.salable_quantity(sku) == 4
    assert store.api.on_hand(sku, "S1") == 4
    assert len(_magento_sales(store)) == 1  # polled again and again, booked once


def test_a_cancelled_order_comes_back_as_a_return_and_restocks(
        store: SyncedStore, magento: MagentoSimulator, request: pytest.FixtureRequest) -> None:
    sku = _sku(request)
    order = checkout(magento, [(sku, 3)], email="cancel@example.com")
    store.work(until=lambda: store.api.on_hand(sku, "S1") == 3)
    cancel(magento, order)
    store.work(until=lambda: store.api.on_hand(sku, "S1") == 6)
    store.settle()
    assert magento.salable_quantity(sku) == 6
    assert magento.source_quantity(sku) == 6


def test_a_credit_memo_of_unshipped_goods_is_a_return_with_restock(
        store: SyncedStore, magento: MagentoSimulator, request: pytest.FixtureRequest) -> None:
    sku = _sku(request)
    order = checkout(magento, [(sku, 3)], email="memo@example.com")
    store.work(until=lambda: store.api.on_hand(sku, "S1") == 3)
    [sale] = _magento_sales(store)
    assert [p["method"] for p in sale["payments"]] == ["pay_later"]  # a check not yet cashed
    invoice(magento, order)  # the check arrived: Magento holds the money
    store.work(until=lambda: _settled(store, str(sale["id"])))
    item = magento.order(int(order)).items[0].item_id
    refund(magento, order, {item: 1})
    store.work(until=lambda: store.api.on_hand(sku, "S1") == 4)
    [sale] = _magento_sales(store)
    [given_back] = store.api.ok(store.api.get(f"/sales/{sale['id']}/returns"))["items"]
    assert [(x["sku"], x["quantity"]) for x in given_back["lines"]] == [(sku, 1)]
    assert Decimal(given_back["total"]) == Decimal("8.00")
    store.settle()
    assert magento.salable_quantity(sku) == 4


def test_a_refused_token_is_a_dead_letter_in_magentos_words(
        ctx: ServiceContext, magento: MagentoSimulator) -> None:
    with synced_store(ctx) as synced:
        api = synced.api
        api.location("S1")
        api.product("MF-DEAD", "3.00")
        api.ok(api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": magento.url, "location": "S1"},
            "secrets": {"access_token": "not-the-integrations-token"}}), 201)
        synced.work(until=lambda: _dead(synced) != [])
        [dead] = _dead(synced)
        assert "401" in dead["last_error"]
        assert "isn't authorized" in dead["last_error"]  # Magento's own message
        assert "%" not in dead["last_error"]  # its placeholders filled in
        assert "not-the-integrations-token" not in str(dead)


def _dead(store: SyncedStore) -> list[dict[str, str]]:
    items: list[dict[str, str]] = store.api.ok(
        store.api.get("/connections/magento/dead-letters"))["items"]
    return items


def test_customers_go_both_ways_matched_by_email(
        store: SyncedStore, magento: MagentoSimulator, request: pytest.FixtureRequest) -> None:
    tag = _sku(request).lower()
    store.api.ok(store.api.post("/customers", {"name": "Ada Lovelace",
                                               "email": f"ada-{tag}@example.com"}), 201)
    store.work(until=lambda: f"ada-{tag}@example.com" in _accounts(magento))
    account = _accounts(magento)[f"ada-{tag}@example.com"]
    assert (account.firstname, account.lastname, account.website_id) == ("Ada", "Lovelace", 1)
    with admin(magento) as rest:
        made = rest.post("/V1/customers", json={"customer": {
            "email": f"bo-{tag}@example.com", "firstname": "Bo", "lastname": "Ek",
            "website_id": 1}})
        assert made.status_code == 200, made.text

    def known() -> list[dict[str, object]]:
        found: list[dict[str, object]] = store.api.ok(
            store.api.get("/customers", email=f"bo-{tag}@example.com"))["items"]
        return found

    store.work(until=lambda: len(known()) == 1)
    store.settle()
    assert [c["name"] for c in known()] == ["Bo Ek"]
    assert list(_accounts(magento)).count(f"ada-{tag}@example.com") == 1


def _accounts(magento: MagentoSimulator) -> dict[str, Any]:
    with magento.store.lock:
        return {c.email: c for c in magento.store.customers.values()}
