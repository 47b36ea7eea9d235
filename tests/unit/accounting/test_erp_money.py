"""Money at an ERP's wire: each currency's own minor digits, rates as decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.connectors.common.erp_money import (
    minor_unit,
    read_amount,
    same_rate,
    wire_amount,
)
from tillflow.domain.accounting.entries import TaxedLine
from tillflow.ports.accounting import ErpRejected

DIGITS = {"JPY": 0, "USD": 2, "KWD": 3}


@pytest.mark.parametrize(("currency", "amount", "sent", "read"), [
    ("JPY", Decimal(1234), 1234, Decimal(1234)),
    ("USD", Decimal("12.30"), 12.3, Decimal("12.30")),
    ("KWD", Decimal("1.235"), 1.235, Decimal("1.235")),
])
def test_an_amount_travels_at_its_currencys_digits(currency: str, amount: Decimal,
                                                   sent: float | int, read: Decimal) -> None:
    wired = wire_amount(amount, DIGITS[currency])
    assert (wired, type(wired)) == (sent, type(sent))
    assert read_amount(wired, DIGITS[currency]) == read
    assert str(read_amount(wired, DIGITS[currency])) == str(read)


@given(minor=st.integers(-10**13, 10**13), digits=st.sampled_from([0, 2, 3]))
def test_every_amount_reads_back_as_it_was_sent(minor: int, digits: int) -> None:
    amount = Decimal(minor).scaleb(-digits)
    assert read_amount(wire_amount(amount, digits), digits) == amount


def test_more_digits_than_the_currency_has_are_refused_before_sending() -> None:
    with pytest.raises(ErpRejected, match="more than 0 decimal places"):
        wire_amount(Decimal("12.5"), 0)
    with pytest.raises(ErpRejected, match="more than 2 decimal places"):
        wire_amount(Decimal("1.235"), 2)


def test_a_tax_is_the_tills_rate_as_decimals_never_as_floats() -> None:
    assert same_rate(8.0, Decimal("0.08"))
    assert same_rate(7.7, Decimal("0.077"))  # 0.077 * 100 as a float is 7.700000000000001
    assert same_rate("19.6000", Decimal("0.196"))
    assert not same_rate(8.0001, Decimal("0.08"))
    assert not same_rate(15.0, Decimal("0.08"))


@pytest.mark.parametrize(("currency", "net", "quantity", "price_places", "billed"), [
    ("JPY", Decimal(1000), Decimal(3), 2, (Decimal(3), Decimal("333.33"))),
    ("KWD", Decimal("1.235"), Decimal(1), 3, (Decimal(1), Decimal("1.235"))),
    ("KWD", Decimal("1.002"), Decimal(3), 3, (Decimal(3), Decimal("0.334"))),
    ("KWD", Decimal("1.001"), Decimal(3), 3, (Decimal(1), Decimal("1.001"))),
    ("USD", Decimal("10.00"), Decimal(3), 2, (Decimal(1), Decimal("10.00"))),
])
def test_an_invoice_line_adds_up_at_the_currencys_minor_unit(
        currency: str, net: Decimal, quantity: Decimal, price_places: int,
        billed: tuple[Decimal, Decimal]) -> None:
    """The ERP keeps unit prices to its own places and rounds the line to the currency."""
    line = TaxedLine(sku="A", quantity=quantity, tax_rate=Decimal(0), net=net, tax=Decimal(0))
    money = minor_unit(DIGITS[currency])
    found = line.invoiced(money=money, price=minor_unit(price_places))
    assert found == billed
    assert (found[0] * found[1]).quantize(money) == net
