"""Returns never refund more than was paid; the Z report balances the drawer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.returns import ReturnRequestLine, SoldLine, check_refunds, price_return
from tillflow.domain.sales import TenderInput
from tillflow.domain.shifts import ShiftActivity, TenderTotals, z_report

USD = Currency.of("USD")
D = Decimal


def sold(quantity: int, net: str, tax: str, returned: int = 0, refunded_net: str = "0",
         refunded_tax: str = "0") -> SoldLine:
    return SoldLine(line_no=1, sku="A", quantity=D(quantity), net=D(net), tax=D(tax),
                    total=D(net) + D(tax), returned_quantity=D(returned),
                    refunded_net=D(refunded_net), refunded_tax=D(refunded_tax))


@given(st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=10**6),
       st.integers(min_value=0, max_value=10**5), st.data())
def test_partial_returns_sum_to_the_line(quantity: int, net_units: int, tax_units: int,
                                         data: st.DataObject) -> None:
    net, tax = USD.from_minor(net_units), USD.from_minor(tax_units)
    returned, refunded_net, refunded_tax = 0, D(0), D(0)
    while returned < quantity:
        take = data.draw(st.integers(min_value=1, max_value=quantity - returned))
        line = SoldLine(line_no=1, sku="A", quantity=D(quantity), net=net, tax=tax,
                        total=net + tax, returned_quantity=D(returned),
                        refunded_net=refunded_net, refunded_tax=refunded_tax)
        priced = price_return([line], [ReturnRequestLine("A", D(take))], currency=USD)
        returned += take
        refunded_net += priced.net_total
        refunded_tax += priced.tax_total
    assert (refunded_net, refunded_tax) == (net, tax)


def test_cannot_return_more_than_is_left() -> None:
    with pytest.raises(InvalidInput, match="1 left to return"):
        price_return([sold(3, "30.00", "2.40", returned=2)], [ReturnRequestLine("A", D(2))],
                     currency=USD)


def test_refunds_must_equal_the_return() -> None:
    assert check_refunds(D("5.00"), []) == (TenderInput("cash", D("5.00")),)
    with pytest.raises(InvalidInput):
        check_refunds(D("5.00"), [TenderInput("cash", D("4.99"))])
    with pytest.raises(InvalidInput):
        check_refunds(D("5.00"), [TenderInput("voucher", D("5.00"))])


def test_z_report_expected_cash_and_over_short() -> None:
    activity = ShiftActivity(
        sales_count=3, sales_total=D("50.00"), sales_tax=D("4.00"), cash_in=D("10.00"),
        cash_out=D("20.00"),
        tenders=(TenderTotals("card", D("20.00")),
                 TenderTotals("cash", D("30.00"), refunded=D("5.00"))),
    )
    report = z_report(D("100.00"), activity, D("114.00"))
    assert report.expected_cash == D("115.00")
    assert report.over_short == D("-1.00")
    with pytest.raises(InvalidInput):
        z_report(D("100.00"), activity, D("-1"))
