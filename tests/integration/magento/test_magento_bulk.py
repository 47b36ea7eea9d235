"""The first push of a catalog through Magento's asynchronous bulk endpoints: saved
products come back with their ids, a refused one and those a store without running
consumers never saves are left to the one-by-one push."""

from __future__ import annotations

from decimal import Decimal

from tillflow.connectors.magento.adapter import MagentoChannel
from tillflow.connectors.magento.bulk import BulkWait
from tillflow.connectors.magento.factory import magento_channel
from tillflow.ports.commerce import ProductData, StockTarget
from tillflow_simulators.magento import MagentoSimulator


def _channel(sim: MagentoSimulator, *, deadline: float = 30.0) -> MagentoChannel:
    assert sim.access_token is not None
    channel = magento_channel({"shop_url": sim.url}, {"access_token": sim.access_token})
    channel.bulk_wait = BulkWait(deadline=deadline, interval=0.02)
    return channel


def _product(sku: str, *, title: str | None = None, available: int = 5) -> ProductData:
    return ProductData(sku=sku, title=sku if title is None else title, price=Decimal("2.25"),
                       barcode=None, status="active", available=available)


def test_a_catalog_is_saved_in_bulk_saleable_with_its_stock(magento: MagentoSimulator) -> None:
    magento.add_product("BK-OLD", "Old name", "1.00", qty=3)
    channel = _channel(magento)
    wanted = [_product(f"BK-{n}", available=n) for n in range(1, 4)]
    saved = channel.upsert_products([*wanted, _product("BK-OLD", available=9)])
    channel.close()
    assert {sku: r.created for sku, r in saved.items()} == {
        "BK-1": True, "BK-2": True, "BK-3": True, "BK-OLD": False}
    assert saved["BK-OLD"].external_id == str(magento.product("BK-OLD").id)
    for n in range(1, 4):
        made = magento.product(f"BK-{n}")
        assert (made.status, made.visibility, made.website_ids) == (1, 4, [1])
        assert magento.salable_quantity(f"BK-{n}") == n
    old = magento.product("BK-OLD")
    assert (old.name, old.price) == ("BK-OLD", Decimal("2.25"))
    assert magento.source_quantity("BK-OLD") == 3  # stock of a known product: by the push


def test_a_refused_product_is_left_out_for_the_one_by_one_push(
        magento: MagentoSimulator) -> None:
    channel = _channel(magento)
    saved = channel.upsert_products([_product("BK-FINE"), _product("BK-NONAME", title="")])
    channel.close()
    assert list(saved) == ["BK-FINE"]


def test_a_store_whose_consumers_do_not_run_leaves_it_all_to_the_one_by_one_push() -> None:
    with MagentoSimulator(access_token="bulkwaitaccesstoken0000000000001",
                          consumers=False) as idle:
        channel = _channel(idle, deadline=0.3)
        assert channel.upsert_products([_product("BK-IDLE")]) == {}
        channel.close()
        idle.run_consumers()  # the consumers come back: the queued save is harmless
        assert idle.product("BK-IDLE").sku == "BK-IDLE"
        assert idle.violations == []


def test_a_store_with_input_limits_on_takes_every_list_the_connector_sends() -> None:
    """Magento's input limits: 20 entities in a synchronous list, 5,000 in an asynchronous
    one, pages of at most 300."""
    token = "inputlimitsaccesstoken0000000001"
    with MagentoSimulator(access_token=token, input_limits=True) as limited:
        channel = _channel(limited)
        wanted = [_product(f"IL-{n:02d}", available=n) for n in range(30)]
        saved = channel.upsert_products(wanted)
        assert len(saved) == 30
        assert all(result.created for result in saved.values())
        figures = channel.stock([p.sku for p in wanted], "default")
        assert figures == {p.sku: p.available for p in wanted}
        channel.set_stock([StockTarget(p.sku, "default", p.available + 1, p.available)
                           for p in wanted], idempotency_key="k")
        assert limited.source_quantity("IL-29") == 30
        assert channel.order_changes(None).changes == []
        channel.close()
        assert limited.violations == []
