"""The Vendure connector's pure parts: stock arithmetic, SKU mapping, orders in the port's
terms, and the plugin's webhooks."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tillflow.connectors.common.signatures import signature
from tillflow.connectors.vendure.catalog import Settings, Variant, by_sku
from tillflow.connectors.vendure.orders import order_from
from tillflow.connectors.vendure.webhooks import read
from tillflow.ports.commerce import (
    CUSTOMER,
    IGNORED,
    ORDER,
    PING,
    PRODUCT,
    BadWebhook,
    Buyer,
    MalformedWebhook,
    OrderLine,
)

SETTINGS = Settings.of({
    "activeChannel": {"defaultCurrencyCode": "EUR", "pricesIncludeTax": True,
                      "defaultLanguageCode": "en"},
    "globalSettings": {"outOfStockThreshold": 2, "trackInventory": True},
    "stockLocations": {"items": [{"id": "1"}, {"id": "2"}]},
})


def _variant(**fields: Any) -> Variant:
    node = {"id": "7", "productId": "3", "sku": "A-1", "name": "Tea", "price": 1000,
            "priceWithTax": 1200, "enabled": True, "updatedAt": "2026-11-26T10:00:00.000Z",
            "trackInventory": "INHERIT", "outOfStockThreshold": 0,
            "useGlobalOutOfStockThreshold": True, "product": {"enabled": True},
            "stockLevels": [{"stockLocationId": "1", "stockOnHand": 10, "stockAllocated": 3},
                            {"stockLocationId": "2", "stockOnHand": 4, "stockAllocated": 1}]}
    return Variant.of({**node, **fields}, SETTINGS)


def test_available_is_on_hand_less_allocated_less_the_threshold_at_the_primary() -> None:
    variant = _variant()
    assert (variant.available("1", "1"), variant.available("2", "1")) == (5, 3)
    assert variant.available("9", "1") == 0
    # Writing back what it shows keeps every allocation in place.
    assert variant.on_hand_for("1", 5, "1") == 10
    assert variant.on_hand_for("2", 0, "1") == 1
    own = _variant(useGlobalOutOfStockThreshold=False, outOfStockThreshold=4)
    assert own.available("1", "1") == 3
    untracked = _variant(trackInventory="FALSE")
    assert untracked.available("1", "1") == 7


def test_prices_follow_the_channel_and_a_disabled_product_disables_its_variants() -> None:
    assert _variant().price == Decimal("12.00")
    remote = _variant(product={"enabled": False}).remote()
    assert (remote.external_id, remote.status) == ("3", "draft")


def test_a_sku_on_two_variants_is_not_mapped() -> None:
    one, two, other = _variant(), _variant(id="8"), _variant(id="9", sku="B-2")
    unique, duplicates = by_sku([one, two, other, _variant(id="10", sku="")])
    assert unique == {"B-2": other}
    assert duplicates == {"A-1": ["7", "8"]}


def _order(**fields: Any) -> dict[str, Any]:
    return {"id": "42", "state": "PaymentSettled", "updatedAt": "2026-11-26T10:00:00.000Z",
            "orderPlacedAt": "2026-11-26T10:00:00.100Z",
            "customer": {"emailAddress": "ana@example.com", "phoneNumber": None,
                         "firstName": "Ana", "lastName": ""},
            "currencyCode": "EUR", "total": 2000, "totalWithTax": 2400,
            "lines": [{"id": "1", "quantity": 1, "orderPlacedQuantity": 3, "taxRate": 20,
                       "unitPrice": 500, "unitPriceWithTax": 600,
                       "discountedUnitPrice": 500, "discountedUnitPriceWithTax": 600,
                       "proratedUnitPrice": 450, "proratedUnitPriceWithTax": 540,
                       "linePrice": 500, "linePriceWithTax": 600,
                       "discountedLinePrice": 500, "discountedLinePriceWithTax": 600,
                       "proratedLinePrice": 450, "proratedLinePriceWithTax": 540,
                       "productVariant": {"sku": "A-1"}},
                      {"id": "2", "quantity": 0, "orderPlacedQuantity": 0, "unitPrice": 1,
                       "unitPriceWithTax": 1, "productVariant": {"sku": "B-2"}}],
            "shippingLines": [], "surcharges": [], "payments": [],
            **fields}


def test_orders_are_sales_once_placed_and_cancelled_units_are_restocked() -> None:
    order = order_from(_order(), SETTINGS)
    # A line cancelled in part since it was placed is taken from its unit prices.
    assert order.lines == (OrderLine("A-1", 3, Decimal("6.00"), amount=Decimal("18.00"),
                                     order_discount=Decimal("1.80"), tax=Decimal("2.70"),
                                     tax_rate=Decimal("0.2")),)
    assert (order.total, order.total_tax, order.taxes_included) == (
        Decimal("16.20"), None, True)
    assert (order.placed, order.cancelled, dict(order.restocked)) == (True, False, {"A-1": 2})
    assert order.buyer == Buyer("ana@example.com", None, "Ana", None)
    assert not order_from(_order(orderPlacedAt=None), SETTINGS).placed
    cancelled = order_from(_order(state="Cancelled", customer=None), SETTINGS)
    assert (cancelled.cancelled, cancelled.buyer) == (True, None)
    echo = order_from(_order(customFields={"tillflowSaleId": "tillflow-sale-9"}), SETTINGS)
    assert echo.source_id == "tillflow-sale-9"


def _signed(payload: object, secret: str = "s") -> tuple[dict[str, str], bytes]:
    body = json.dumps(payload).encode()
    return {"x-tillflow-signature": signature(secret, body)}, body


@pytest.mark.parametrize(("topic", "data", "kind", "subject"), [
    ("order.state", {"id": 42}, ORDER, "42"),
    ("refund.state", {"id": "5"}, ORDER, "5"),
    ("product.updated", {"id": "3"}, PRODUCT, "3"),
    ("variant.created", {"variants": [{"id": "7", "product_id": "3"}]}, PRODUCT, "3"),
    ("customer.created", {"id": "9"}, CUSTOMER, "9"),
    ("customer.deleted", {"id": "9"}, IGNORED, None),
    ("stock.movement", {"movements": []}, IGNORED, None),
    ("order.state", {"id": None}, IGNORED, None),
])
def test_plugin_topics_map_to_what_the_engine_fetches(topic: str, data: dict[str, Any],
                                                      kind: str, subject: str | None) -> None:
    headers, body = _signed({"id": "d-1", "topic": topic, "data": data})
    message = read(headers, body, secret="s")
    assert (message.delivery_id, message.topic, message.kind, message.external_id) == (
        "d-1", topic, kind, subject)


def test_webhooks_are_refused_unless_signed_and_readable() -> None:
    headers, body = _signed({"id": "d-1", "topic": "ping", "data": {}})
    assert read(headers, body, secret="s").kind == PING
    with pytest.raises(BadWebhook):
        read(headers, body, secret="other")
    with pytest.raises(BadWebhook):
        read({}, body, secret="s")
    with pytest.raises(BadWebhook, match="no webhook_secret"):
        read(headers, body, secret=None)
    for payload in ({"topic": "order.state", "data": {}}, {"id": "x", "topic": "t"}, [1]):
        headers, body = _signed(payload)
        with pytest.raises(MalformedWebhook):
            read(headers, body, secret="s")
    with pytest.raises(MalformedWebhook):
        read({"x-tillflow-signature": signature("s", b"{")}, b"{", secret="s")


def test_a_product_vendure_already_shows_needs_no_write() -> None:
    variant = _variant(product={"enabled": True, "name": "Tea", "variants": [{"id": "7"}]})
    assert variant.shows("Tea", Decimal("12.0"), True)
    assert not variant.shows("Tea", Decimal("12.01"), True)
    assert not variant.shows("Green tea", Decimal("12.00"), True)
    assert not variant.shows("Tea", Decimal("12.00"), False)
    renamed = _variant(product={"enabled": True, "name": "Old", "variants": [{"id": "7"}]})
    assert not renamed.shows("Tea", Decimal("12.00"), True)
    sibling = _variant(product={"enabled": True, "name": "Teas",
                                "variants": [{"id": "7"}, {"id": "8"}]})
    assert sibling.shows("Tea", Decimal("12.00"), True)
