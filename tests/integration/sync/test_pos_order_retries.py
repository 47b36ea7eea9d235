"""A till sale's order (and a return's refund) survives a lost answer: the shop made it,
tillflow never heard, and the retry finds it instead of making a second one."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import httpx
import pytest

from tillflow.connectors.shopify.adapter import ShopifyChannel
from tillflow.connectors.shopify.client import ShopifyClient
from tillflow.connectors.woocommerce.adapter import WooCommerceChannel
from tillflow.connectors.woocommerce.client import WooClient
from tillflow.ports.commerce import (
    RETURN_SOURCE,
    SALE_SOURCE,
    CommerceChannel,
    OrderLine,
    PosRefund,
    PosSale,
    ProductData,
    RefundsTillReturns,
    Retryable,
)
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.woocommerce import WooCommerceSimulator

SALE = PosSale(source_id=f"{SALE_SOURCE}lost-1", number="R1-000007",
               placed_at="2026-01-01T10:00:00Z", currency="USD", total=Decimal("9.90"),
               lines=(OrderLine("L-1", 1, Decimal("9.90")),))


class LosesOneAnswer(httpx.BaseTransport):
    """Sends the request on, then drops the first answer to a request ``matches`` picks."""

    def __init__(self, matches: Callable[[httpx.Request], bool], *,
                 verify: ssl.SSLContext | bool = True) -> None:
        self._inner = httpx.HTTPTransport(verify=verify)
        self._matches = matches
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if not self.lost and self._matches(request):
            self.lost += 1
            response.read()
            response.close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


def _push_twice(channel: CommerceChannel, transport: LosesOneAnswer) -> str:
    channel.upsert_product(ProductData("L-1", "Lost", Decimal("9.90"), None, "active", 4))
    with pytest.raises(Retryable):
        channel.push_sale(SALE)
    assert transport.lost == 1
    order_id = channel.push_sale(SALE)
    order = channel.order(order_id)
    assert order is not None
    assert order.source_id == SALE.source_id
    assert channel.stock(["L-1"], channel.primary_location) == {"L-1": 4}
    return order_id


def test_shopify_order_made_before_a_lost_answer_is_found_not_made_again() -> None:
    with ShopifySimulator(webhook_secret="s") as sim:
        transport = LosesOneAnswer(lambda r: b"orderCreate" in r.content)
        channel = ShopifyChannel(ShopifyClient(sim.url, sim.access_token, transport=transport),
                                 webhook_secret="s")
        _push_twice(channel, transport)
        channel.close()
        made = [o for o in sim.shop.store.orders.values()
                if o.source_identifier == SALE.source_id]
        assert len(made) == 1
        assert made[0].display_financial_status == "PAID"


def test_woocommerce_order_made_before_a_lost_answer_is_found_not_made_again() -> None:
    with WooCommerceSimulator() as sim:
        transport = LosesOneAnswer(
            lambda r: r.method == "POST" and r.url.path.endswith("/orders"),
            verify=sim.ssl_context())
        key, secret = sim.auth
        channel = WooCommerceChannel(WooClient(sim.url, key, secret, transport=transport),
                                     webhook_secret="s")
        _push_twice(channel, transport)
        channel.close()
        made = [o for o in sim.state.orders.values()
                if any(m.key == "tillflow_sale" and m.value == SALE.source_id
                       for m in o.meta_data)]
        assert len(made) == 1
        assert (made[0].status, made[0].date_paid is not None) == ("completed", True)


def test_shopify_variant_replaced_in_the_shop_is_looked_up_again() -> None:
    with ShopifySimulator(webhook_secret="s") as sim:
        channel = ShopifyChannel(ShopifyClient(sim.url, sim.access_token), webhook_secret="s")
        channel.upsert_product(ProductData("L-1", "Lost", Decimal("9.90"), None, "active", 4))
        channel.push_sale(SALE)  # the variant id is remembered
        store = sim.shop.store
        store.remove_variant(sim.shop.variant("L-1"))
        [fresh] = sim.seed(1)
        item = fresh.variants[0].inventory_item
        assert item is not None
        item.sku = "L-1"  # the same SKU on a new variant, made in the shop's admin
        again = replace(SALE, source_id=f"{SALE_SOURCE}lost-2")
        with pytest.raises(Retryable):
            channel.push_sale(again)
        order = channel.order(channel.push_sale(again))
        channel.close()
        assert order is not None
        assert [line.sku for line in order.lines] == ["L-1"]


def _refund_twice(channel: CommerceChannel, transport: LosesOneAnswer) -> None:
    channel.upsert_product(ProductData("L-1", "Lost", Decimal("9.90"), None, "active", 4))
    order_id = channel.push_sale(SALE)
    assert isinstance(channel, RefundsTillReturns)
    refund = PosRefund(source_id=f"{RETURN_SOURCE}lost-1", order_id=order_id,
                       number="R1-R0001", currency="USD", total=Decimal("9.90"),
                       lines=(OrderLine("L-1", 1, Decimal("9.90")),))
    with pytest.raises(Retryable):
        channel.push_refund(refund)
    assert transport.lost == 1
    channel.push_refund(refund)
    channel.close()


def test_shopify_refund_made_before_a_lost_answer_is_not_made_again() -> None:
    with ShopifySimulator(webhook_secret="s") as sim:
        transport = LosesOneAnswer(lambda r: b"refundCreate" in r.content)
        _refund_twice(ShopifyChannel(ShopifyClient(sim.url, sim.access_token,
                                                   transport=transport), webhook_secret="s"),
                      transport)
        assert len(sim.shop.store.refunds) == 1


def test_woocommerce_refund_made_before_a_lost_answer_is_not_made_again() -> None:
    with WooCommerceSimulator() as sim:
        transport = LosesOneAnswer(
            lambda r: r.method == "POST" and r.url.path.endswith("/refunds"),
            verify=sim.ssl_context())
        key, secret = sim.auth
        _refund_twice(WooCommerceChannel(WooClient(sim.url, key, secret, transport=transport),
                                         webhook_secret="s"), transport)
        assert sum(len(o.refunds) for o in sim.state.orders.values()) == 1
