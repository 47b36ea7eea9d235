"""The same web order applied by several workers at once (a webhook, a poll, a replay):
one sale, each refund one return, one settlement, the stock moved once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal

from support.api import Api
from tillflow.ports.commerce import (
    OrderLine,
    Payment,
    RefundLine,
    RemoteOrder,
    RemoteRefund,
)
from tillflow.sync.channels import Channels
from tillflow.sync.inbound import apply_order
from tillflow.sync.memory import MemoryChannelFactory, MemoryShop

WORKERS = 6


def _apply_at_once(api: Api, order: RemoteOrder) -> list[str]:
    shop = Channels(api.ctx, {"shopify": MemoryChannelFactory(MemoryShop())}).shop("mem")
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda _: apply_order(api.ctx, shop, order), range(WORKERS)))


def test_one_order_applied_by_many_workers_at_once_is_recorded_once(api: Api) -> None:
    api.location("S1")
    api.product("R1", "5.00", tax_rate="0")
    api.stock("R1", "S1", 10)
    api.ok(api.post("/connections", {
        "name": "mem", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": "t"}}), 201)
    owed = RemoteOrder(
        external_id="race-1", updated_at="2026-12-01T10:00:00Z", location=None,
        lines=(OrderLine("R1", 3, Decimal("5.00"), tax=Decimal(0)),), cancelled=False,
        currency="USD", total=Decimal("15.00"),
        total_tax=Decimal(0), payment=Payment("cod", paid=False),
        refunds=(RemoteRefund("refund-1", (RefundLine("R1", 1, Decimal("5.00"), Decimal(0)),),
                              charges=Decimal(0), charges_tax=Decimal(0),
                              total=Decimal("5.00"), restock=False),))

    outcomes = _apply_at_once(api, owed)
    assert outcomes.count("recorded") == 1
    [sale] = api.ok(api.get("/sales", channel="shopify"))["items"]
    [given] = api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"]
    assert [(r["method"], r["amount"]) for r in given["refunds"]] == [("pay_later", "5.00")]
    assert api.on_hand("R1", "S1") == 7

    paid = replace(owed, updated_at="2026-12-01T11:00:00Z", payment=Payment("cod", paid=True))
    assert _apply_at_once(api, paid).count("settled") == 1
    settled = api.ok(api.get(f"/sales/{sale['id']}"))["settlements"]
    assert [(s["method"], s["amount"]) for s in settled] == [("other", "10.00")]
    assert len(api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"]) == 1

    cancelled = replace(paid, updated_at="2026-12-01T12:00:00Z", cancelled=True,
                        restocked={"R1": 3})
    assert _apply_at_once(api, cancelled).count("cancelled") == 1
    returns = api.ok(api.get(f"/sales/{sale['id']}/returns"))["items"]
    assert [r["total"] for r in returns] == ["5.00", "10.00"]
    assert api.on_hand("R1", "S1") == 10  # the units the shop put back, once
