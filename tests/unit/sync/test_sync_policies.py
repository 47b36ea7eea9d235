"""The retry policy, the inventory policy and the platform mappings, without I/O."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tillflow.connectors.common.http import retry_after
from tillflow.connectors.shopify.orders import order_from
from tillflow.connectors.woocommerce.orders import order_from as woo_order_from
from tillflow.retry import RetryPolicy
from tillflow.services.connections import ConnectionView
from tillflow.sync.channels import Shop


def test_backoff_doubles_up_to_the_cap_with_jitter_and_honours_retry_after() -> None:
    low = RetryPolicy(base=1.0, cap=8.0, max_attempts=5, jitter=lambda: 0.0)
    high = RetryPolicy(base=1.0, cap=8.0, max_attempts=5, jitter=lambda: 1.0)
    assert [low.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [high.delay(n) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert low.delay(1, retry_after=2.0) == 2.0
    assert not low.exhausted(4)
    assert low.exhausted(5)


def _shop(**settings: object) -> Shop:
    return Shop(ConnectionView("shop", "shopify", dict(settings), ("access_token",), 1))


@pytest.mark.parametrize(("on_hand", "buffer", "told"), [
    (Decimal(10), 0, 10), (Decimal(10), 3, 7), (Decimal(2), 3, 0), (Decimal("4.75"), 1, 3),
    (Decimal(-2), 0, 0),
])
def test_the_shop_is_told_on_hand_less_the_buffer_in_whole_units(
        on_hand: Decimal, buffer: int, told: int) -> None:
    assert _shop(safety_buffer=buffer).available(on_hand) == told


def test_locations_map_the_primary_and_named_platform_locations() -> None:
    shop = _shop(location="S1", locations={"gid://shopify/Location/2": "W1"})
    assert shop.platform_locations() == {None: "S1", "gid://shopify/Location/2": "W1"}
    assert shop.tillflow_locations() == {"S1", "W1"}


def _money(amount: str) -> dict[str, object]:
    return {"shopMoney": {"amount": amount}}


def _line(sku: str, quantity: int) -> dict[str, object]:
    return {"sku": sku, "quantity": quantity, "originalUnitPriceSet": _money("4.50")}


def _refunded(sku: str, restocked: bool) -> dict[str, object]:
    return {"quantity": 1, "restocked": restocked, "lineItem": {"sku": sku},
            "subtotalSet": _money("4.50"), "totalTaxSet": _money("0")}


def test_a_shopify_order_counts_units_restocked_by_refunds_and_cancellation() -> None:
    node: dict[str, Any] = {
        "id": "gid://shopify/Order/1", "updatedAt": "2026-01-01T00:00:00Z",
        "cancelledAt": None, "email": "a@example.com", "phone": None, "customer": None,
        "retailLocation": None, "totalPriceSet": _money("13.50"),
        "lineItems": {"nodes": [_line("A", 2), _line("B", 1)]},
        "shippingLines": {"nodes": []},
        "refunds": [{"id": "gid://shopify/Refund/1", "totalRefundedSet": _money("9.00"),
                     "refundLineItems": {"nodes": [_refunded("A", True),
                                                   _refunded("B", False)]}}]}
    order = order_from(node)
    assert order.restocked == {"A": 1}
    assert order.lines[0].unit_price == Decimal("4.50")
    assert order.buyer is not None
    assert order.buyer.email == "a@example.com"
    cancelled = order_from({**node, "cancelledAt": "2026-01-02T00:00:00Z"})
    assert cancelled.restocked == {"A": 2, "B": 1}


@pytest.mark.parametrize(("status", "placed", "restocked"), [
    ("processing", True, {}), ("completed", True, {}), ("pending", False, {"W": 3}),
    ("cancelled", False, {"W": 3}), ("refunded", False, {"W": 3}),
])
def test_woocommerce_statuses_say_whether_an_order_took_stock(
        status: str, placed: bool, restocked: dict[str, int]) -> None:
    payload = {"id": 9, "status": status, "date_modified_gmt": "2026-01-01T00:00:00",
               "billing": {"email": ""},
               "total": "6.00",
               "line_items": [{"sku": "W", "quantity": 3, "price": 2.0, "subtotal": "6.00",
                               "total": "6.00", "total_tax": "0.00"}]}
    order = woo_order_from(payload, [])
    assert (order.placed, order.restocked) == (placed, restocked)
    assert order.updated_at == "2026-01-01T00:00:00Z"
    assert order.buyer is None


@pytest.mark.parametrize(("headers", "seconds"), [
    ({"Retry-After": "2.5"}, 2.5), ({"Retry-After": "-3"}, 0.0), ({}, None),
    ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),
])
def test_retry_after_reads_seconds_only(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after(headers) == seconds
