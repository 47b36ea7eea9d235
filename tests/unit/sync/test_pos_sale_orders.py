"""A till sale in a shop's terms: whole units, the paid line totals, the customer split
into first and last name."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tillflow.domain.customers import Customer
from tillflow.domain.money import Currency
from tillflow.domain.records import ReturnLineRecord, ReturnRecord, SaleLineRecord, SaleRecord
from tillflow.ports.commerce import RETURN_SOURCE, SALE_SOURCE, Buyer, OrderLine, Rejected
from tillflow.sync.customers import buyer_of
from tillflow.sync.pos_sales import pos_refund, pos_sale

EUR = Currency.of("EUR")


def _line(sku: str, quantity: str, total: str) -> SaleLineRecord:
    money = Decimal(total)
    return SaleLineRecord(line_no=1, sku=sku, name=sku, quantity=Decimal(quantity),
                          unit_price=money, tax_rate=Decimal(0), gross=money,
                          line_discount=Decimal(0), order_discount=Decimal(0), net=money,
                          tax=Decimal(0), total=money, returned_quantity=Decimal(0))


def _sale(*lines: SaleLineRecord) -> SaleRecord:
    total = sum((line.total for line in lines), Decimal(0))
    return SaleRecord(id="s-1", number="R1-000042", status="completed", location="S1",
                      register="R1", shift_id=None, customer_id=None, lines=lines,
                      subtotal=total, order_discount=Decimal(0), discount_total=Decimal(0),
                      tax_total=Decimal(0), total=total, payments=(), tendered=total,
                      change_due=Decimal(0), tax_inclusive=True,
                      created_at=datetime(2026, 3, 1, 9, 30, 5, 123, tzinfo=UTC),
                      created_by=None)


def test_a_sale_becomes_order_lines_at_the_price_paid() -> None:
    customer = Customer("c-1", "Ada King Lovelace", "ada@example.com", None)
    order = pos_sale(_sale(_line("A", "3", "10.00"), _line("B", "1", "2.50")), customer, EUR)
    assert order.source_id == f"{SALE_SOURCE}s-1"
    assert (order.number, order.placed_at, order.currency) == (
        "R1-000042", "2026-03-01T09:30:05Z", "EUR")
    assert order.lines == (OrderLine("A", 3, Decimal("3.33")), OrderLine("B", 1, Decimal("2.50")))
    assert order.total == Decimal("12.50")
    assert order.buyer == Buyer("ada@example.com", None, "Ada", "King Lovelace")


@pytest.mark.parametrize("quantity", ["0.5", "-1"])
def test_a_line_an_order_cannot_hold_is_refused(quantity: str) -> None:
    with pytest.raises(Rejected, match="whole number"):
        pos_sale(_sale(_line("A", quantity, "1.00")), None, EUR)


def test_a_customer_without_a_name_has_no_names_in_the_shop() -> None:
    assert buyer_of(Customer("c-2", None, None, "+14155550123")) == Buyer(
        None, "+14155550123", None, None)


def test_a_return_becomes_refund_lines_at_the_price_paid() -> None:
    line = ReturnLineRecord(line_no=1, sku="A", quantity=Decimal(2), net=Decimal("6.00"),
                            tax=Decimal("0.66"), total=Decimal("6.66"))
    record = ReturnRecord(id="r-1", number="R1-R000003", sale_id="s-1", location="S1",
                          register="R1", restock=True, lines=(line,), net_total=Decimal("6.00"),
                          tax_total=Decimal("0.66"), total=Decimal("6.66"), refunds=(),
                          created_at=datetime(2026, 3, 1, tzinfo=UTC), created_by=None)
    refund = pos_refund(record, "order-9", EUR)
    assert (refund.source_id, refund.order_id, refund.total) == (
        f"{RETURN_SOURCE}r-1", "order-9", Decimal("6.66"))
    assert refund.lines == (OrderLine("A", 2, Decimal("3.33")),)
