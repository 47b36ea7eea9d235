"""Two tillflow locations on two Magento sources of the website's stock: each location's
figure goes to its own source, and an open order's reservation is counted once, against
the primary source, where tillflow books the web order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.magento_shop import checkout
from support.sync import SyncedStore, synced_store
from tillflow.services.context import ServiceContext
from tillflow_simulators.magento import MagentoSimulator

TOKEN = "magentosourcesaccesstoken0000001"


@pytest.fixture
def two_sources() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN) as sim:
        sim.add_source("back-room", "Back room")
        yield sim
        assert sim.violations == []


@pytest.fixture
def store(ctx: ServiceContext, two_sources: MagentoSimulator) -> Iterator[SyncedStore]:
    with synced_store(ctx) as synced:
        api = synced.api
        api.location("S1")
        api.location("W1", kind="warehouse")
        api.product("SR-1", "6.00")
        api.stock("SR-1", "S1", 5)
        api.stock("SR-1", "W1", 20)
        api.ok(api.post("/connections", {
            "name": "magento", "platform": "magento",
            "settings": {"shop_url": two_sources.url, "location": "S1", "source": "default",
                         "locations": {"back-room": "W1"}},
            "secrets": {"access_token": TOKEN}}), 201)
        synced.work(until=lambda: two_sources.source_quantity("SR-1", "back-room") == 20)
        synced.settle()
        yield synced


def test_each_location_goes_to_its_source_and_a_reservation_counts_once(
        store: SyncedStore, two_sources: MagentoSimulator) -> None:
    assert two_sources.source_quantity("SR-1", "default") == 5
    assert two_sources.salable_quantity("SR-1") == 25
    checkout(two_sources, [("SR-1", 3)], email="sources@example.com")
    store.work(until=lambda: store.api.on_hand("SR-1", "S1") == 2)
    store.settle()
    assert two_sources.source_quantity("SR-1", "default") == 5  # 2 available + 3 reserved
    assert two_sources.source_quantity("SR-1", "back-room") == 20
    assert two_sources.salable_quantity("SR-1") == 22  # tillflow's 2 + 20
    store.api.stock("SR-1", "W1", -4)
    store.work(until=lambda: two_sources.source_quantity("SR-1", "back-room") == 16)
    assert two_sources.salable_quantity("SR-1") == 18
