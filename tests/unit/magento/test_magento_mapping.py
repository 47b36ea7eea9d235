"""Magento's payloads read in the port's terms, and what the connector writes, without a
store: orders with their charges and credit memos, versions that sort a same-second
change later, numbers written digit for digit, Magento's messages filled in, and the
settings and secrets a connection may hold."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.connectors.magento.client import error_message
from tillflow.connectors.magento.dates import magento_time, stamp
from tillflow.connectors.magento.orders import order_from, time_of, version
from tillflow.connectors.magento.search import Filter, criteria, where
from tillflow.connectors.magento.settings import (
    validate_magento_secrets,
    validate_magento_settings,
)
from tillflow.connectors.magento.stock import Figure, source_item
from tillflow.connectors.magento.wire import encode
from tillflow.domain.errors import InvalidInput
from tillflow.ports.commerce import SHIPPING, Rejected, StockTarget


def _item(**extra: Any) -> dict[str, Any]:
    return {"item_id": 11, "sku": "MUG", "qty_ordered": "3.0000", "price": "12.5000",
            "row_total": "37.5000", "discount_amount": "2.5000", "tax_amount": "2.8000",
            "tax_percent": "8.0000", "qty_invoiced": 0, "qty_shipped": 0, "qty_refunded": 0,
            "qty_canceled": 0, **extra}


def _order(**extra: Any) -> dict[str, Any]:
    return {"entity_id": 7, "increment_id": "000000007", "state": "new", "status": "pending",
            "updated_at": "2026-12-06 10:00:05", "order_currency_code": "EUR",
            "grand_total": "45.3000", "total_paid": None, "tax_amount": "3.6000",
            "shipping_amount": "10.0000", "shipping_tax_amount": "0.8000",
            "shipping_discount_amount": "0.0000", "shipping_description": "Flat Rate - Fixed",
            "customer_email": "ada@example.com", "customer_firstname": "Ada",
            "customer_lastname": "Lovelace", "billing_address": {"telephone": "5125550100"},
            "payment": {"method": "checkmo"},
            "items": [_item(), {**_item(item_id=12, sku="MUG-CHILD"), "parent_item_id": 11}],
            **extra}


def test_a_new_check_order_is_a_placed_unpaid_sale_at_what_magento_charged() -> None:
    order = order_from(_order(), [])
    assert (order.placed, order.cancelled, order.external_id) == (True, False, "7")
    [line] = order.lines  # a configurable's child line carries no price of its own
    assert (line.sku, line.quantity, line.unit_price, line.amount) == (
        "MUG", 3, Decimal("12.5"), Decimal("37.5"))
    assert (line.discount, line.tax, line.tax_rate) == (
        Decimal("2.5"), Decimal("2.8"), Decimal("0.08"))
    [shipping] = order.charges
    assert (shipping.kind, shipping.amount, shipping.tax) == (
        SHIPPING, Decimal(10), Decimal("0.8"))
    assert (order.total, order.total_tax, order.currency) == (
        Decimal("45.3"), Decimal("3.6"), "EUR")
    assert order.payment is not None
    assert (order.payment.gateway, order.payment.paid) == ("checkmo", False)
    assert order.buyer is not None
    assert (order.buyer.email, order.buyer.phone) == ("ada@example.com", "5125550100")
    assert order_from(_order(total_paid="45.3000"), []).payment.paid  # type: ignore[union-attr]


def test_a_canceled_order_is_not_placed_and_restocks_every_line() -> None:
    order = order_from(_order(state="canceled", status="canceled"), [])
    assert (order.placed, order.cancelled, dict(order.restocked)) == (False, True, {"MUG": 3})


def test_a_credit_memo_restocks_only_goods_never_shipped() -> None:
    memo = {"entity_id": 3, "grand_total": "13.5000", "shipping_amount": "0",
            "shipping_tax_amount": "0", "adjustment_positive": "1.0000",
            "adjustment_negative": "0", "items": [
                {"order_item_id": 11, "sku": "MUG", "qty": "1.0000", "row_total": "12.5000",
                 "tax_amount": "1.0000", "discount_amount": "1.0000"},
                {"order_item_id": 12, "sku": "MUG-CHILD", "qty": "0"}]}
    unshipped = order_from(_order(items=[_item(qty_refunded=1)]), [memo])
    [refund] = unshipped.refunds
    assert (refund.external_id, refund.total, refund.charges, refund.restock) == (
        "creditmemo:3", Decimal("13.5"), Decimal(1), True)
    [line] = refund.lines
    assert (line.sku, line.quantity, line.amount, line.tax) == (
        "MUG", 1, Decimal("12.5"), Decimal(1))
    assert dict(unshipped.restocked) == {"MUG": 1}
    shipped = order_from(_order(items=[_item(qty_shipped=3, qty_refunded=1)]), [memo])
    assert (shipped.refunds[0].restock, dict(shipped.restocked)) == (False, {})


def test_an_unreadable_order_is_refused_naming_it() -> None:
    with pytest.raises(Rejected, match="000000007"):
        order_from(_order(grand_total=None, items=[{"sku": "X"}]), [])


def test_a_same_second_change_sorts_after_the_copy_before_it() -> None:
    placed = version(_order())
    cancelled = version(_order(items=[_item(qty_canceled=3)]))
    later = version(_order(updated_at="2026-12-06 10:00:06"))
    assert placed < cancelled < later
    assert time_of(cancelled) == "2026-12-06T10:00:05Z"


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=2))
def test_versions_sort_as_time_then_progress(pairs: list[tuple[int, int]]) -> None:
    def made(second: int, done: int) -> str:
        hour, rest = divmod(second, 3600)
        stamp_ = f"2026-12-06 {hour % 24:02d}:{rest // 60:02d}:{rest % 60:02d}"
        return version(_order(updated_at=stamp_, items=[_item(qty_invoiced=done)]))

    clipped = [(s % 86_400, d) for s, d in pairs]
    assert sorted(clipped) == sorted(clipped, key=lambda p: made(*p))


def test_times_go_both_ways() -> None:
    assert stamp("2026-12-06 10:00:05") == "2026-12-06T10:00:05Z"
    assert magento_time("2026-12-06T10:00:05Z") == "2026-12-06 10:00:05"


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=-10**9, max_value=10**9))
def test_amounts_are_written_as_json_numbers_digit_for_digit(amount: Decimal) -> None:
    written = encode({"price": amount, "name": "Mug"})
    assert json.loads(written, parse_float=Decimal) == {"price": amount, "name": "Mug"}
    assert b'"price": "' not in written


def test_magentos_message_is_filled_in_from_its_parameters() -> None:
    answer = httpx.Response(400)
    assert error_message({"message": 'The "%1" attribute is %2.', "parameters": ["name", "x"]},
                         answer) == 'The "name" attribute is x.'
    assert error_message({"message": "No %fieldName here", "parameters": {"fieldName": "a"}},
                         answer) == "No a here"
    assert error_message("not json", httpx.Response(502, text="Bad gateway")) == "Bad gateway"


def test_search_criteria_are_and_of_groups_with_paging() -> None:
    params = criteria(where(Filter("sku", "A,B", "in"), Filter("source_code", "default")),
                      sort=[("updated_at", "ASC")], page_size=300, page=2)
    assert params == {
        "searchCriteria[filterGroups][0][filters][0][field]": "sku",
        "searchCriteria[filterGroups][0][filters][0][value]": "A,B",
        "searchCriteria[filterGroups][0][filters][0][conditionType]": "in",
        "searchCriteria[filterGroups][1][filters][0][field]": "source_code",
        "searchCriteria[filterGroups][1][filters][0][value]": "default",
        "searchCriteria[filterGroups][1][filters][0][conditionType]": "eq",
        "searchCriteria[sortOrders][0][field]": "updated_at",
        "searchCriteria[sortOrders][0][direction]": "ASC",
        "searchCriteria[pageSize]": "300", "searchCriteria[currentPage]": "2"}


@pytest.mark.parametrize("secrets", [
    {"access_token": "t"},
    {"access_token": "t", "consumer_key": "k", "consumer_secret": "s",
     "access_token_secret": "u"}])
def test_a_bearer_token_or_the_four_oauth_credentials_are_taken(
        secrets: dict[str, str]) -> None:
    validate_magento_secrets(secrets)


def test_half_an_oauth_integration_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_magento_secrets({"access_token": "t", "consumer_key": "k"})
    assert caught.value.details == {"field": "secrets.consumer_secret"}


@pytest.mark.parametrize(("settings", "field"), [
    ({"push_pos_sales": True}, "settings.push_pos_sales"),
    ({"poll_interval": 0}, "settings.poll_interval"),
    ({"poll_interval": True}, "settings.poll_interval"),
    ({"source": " "}, "settings.source"),
    ({"barcode_attribute": 4}, "settings.barcode_attribute"),
])
def test_settings_magento_cannot_honour_are_refused(settings: dict[str, Any],
                                                    field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_magento_settings({"shop_url": "https://store.example.com", **settings})
    assert caught.value.details == {"field": field}


@given(st.integers(0, 10**6), st.integers(0, 10**4), st.integers(0, 10**4))
def test_a_written_figure_reads_back_whatever_open_orders_reserve_and_ship(
        available: int, reserved: int, shipped: int) -> None:
    """Written with its reservations added back, a source shows tillflow's figure; a
    shipment takes goods off the source and gives their reservation back, and the figure
    holds."""
    shipped = min(shipped, reserved)
    row = source_item(StockTarget("S", "default", available, None), Decimal(reserved))
    quantity = Decimal(row["quantity"])
    assert Figure(quantity, Decimal(reserved)).available == available
    assert Figure(quantity - shipped, Decimal(reserved - shipped)).available == available
    assert row["status"] == (1 if available > 0 else 0)
