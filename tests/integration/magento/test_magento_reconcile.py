"""The reconciler against Magento: with polling off, a checkout tillflow missed is
recorded, a source quantity changed in the admin is healed (with the open order's
reservation kept on the source), and a product made in Magento comes in."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from support.magento_shop import checkout
from support.sync import FAST_RETRIES, SyncedStore, synced_store
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncOptions
from tillflow_simulators.magento import MagentoSimulator
from tillflow_simulators.magento.errors import MagentoError

from .conftest import TOKEN


@pytest.fixture
def store(ctx: ServiceContext, own_store: MagentoSimulator) -> Iterator[SyncedStore]:
    options = SyncOptions(policy=FAST_RETRIES, poll_seconds=0, reconcile_seconds=0,
                          lease_seconds=5)
    with synced_store(ctx, options=options) as synced:
        api = synced.api
        api.location("S1")
        for sku in ("RC-A", "RC-B"):
            api.product(sku, "5.00")
            api.stock(sku, "S1", 10)
        api.ok(api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": own_store.url, "location": "S1"},
            "secrets": {"access_token": TOKEN}}), 201)
        synced.work(until=lambda: _salable(own_store, "RC-B") == 10)
        synced.settle()
        yield synced


def _salable(sim: MagentoSimulator, sku: str) -> Decimal | None:
    try:
        return sim.salable_quantity(sku)
    except MagentoError:  # not created in Magento yet
        return None


def test_the_reconciler_records_a_missed_order_and_heals_a_source(
        store: SyncedStore, own_store: MagentoSimulator) -> None:
    missed = checkout(own_store, [("RC-A", 2)], email="missed@example.com")
    own_store.set_source_item("RC-B", 3)  # changed in the admin behind tillflow's back
    own_store.add_product("RC-MADE", "Made in Magento", "7.00", qty=4)
    store.settle()
    assert store.api.on_hand("RC-A", "S1") == 10  # no poll: not seen yet

    store.api.ok(store.api.post("/connections/magento/sync", {"scope": "all"}), 202)
    store.work(until=lambda: store.api.get("/connections/magento/reconciliations/latest")
               .status_code == 200)
    store.settle()
    report = store.api.ok(store.api.get("/connections/magento/reconciliations/latest"))
    assert report["error"] is None
    kinds = {item["kind"]: item for item in report["items"]}
    assert kinds["order"]["external_id"] == missed
    assert kinds["product"]["sku"] == "RC-MADE"
    assert (kinds["stock"]["sku"], kinds["stock"]["shop"], kinds["stock"]["tillflow"]) == (
        "RC-B", "3", "10")
    assert store.api.on_hand("RC-A", "S1") == 8
    assert store.api.on_hand("RC-MADE", "S1") == 4
    assert own_store.salable_quantity("RC-B") == 10
    # The missed order's reservation stays counted once: source 10, salable 8.
    assert own_store.source_quantity("RC-A") == 10
    assert own_store.salable_quantity("RC-A") == 8


def test_a_connections_own_poll_interval_polls_it_when_the_workers_polling_is_off(
        store: SyncedStore, own_store: MagentoSimulator) -> None:
    store.api.ok(store.api.patch("/connections/magento", {"settings": {"poll_interval": 1}}))
    store.settle()
    order = checkout(own_store, [("RC-B", 1)], email="polled@example.com")
    store.work(until=lambda: store.api.on_hand("RC-B", "S1") == 9)
    sales = store.api.ok(store.api.get("/sales", channel="magento"))["items"]
    assert [s["external_id"] for s in sales] == [order]
