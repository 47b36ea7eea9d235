"""Pricing a sale: per-line tax, discounts spread exactly, tenders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.sales import LineInput, TenderInput, price_sale, settle

USD = Currency.of("USD")
D = Decimal


def line(sku: str, qty: str, price: str, rate: str = "0.08", discount: str = "0") -> LineInput:
    return LineInput(sku=sku, quantity=D(qty), unit_price=D(price), discount=D(discount),
                     tax_rate=D(rate))


def test_tax_is_rounded_per_line_half_up() -> None:
    sale = price_sale([line("A", "1", "0.50", "0.25"), line("B", "1", "0.50", "0.25")],
                      order_discount=D(0), tax_inclusive=False, currency=USD)
    assert [x.tax for x in sale.lines] == [D("0.13"), D("0.13")]  # 0.125 each, half up
    assert sale.tax_total == D("0.26")
    assert sale.total == D("1.26")


def test_tax_inclusive_prices_take_the_tax_out() -> None:
    sale = price_sale([line("A", "1", "10.80", "0.08")], order_discount=D(0),
                      tax_inclusive=True, currency=USD)
    assert (sale.lines[0].net, sale.lines[0].tax, sale.total) == (D("10.00"), D("0.80"),
                                                                   D("10.80"))


def test_bad_discounts() -> None:
    with pytest.raises(InvalidInput):
        price_sale([line("A", "1", "5", discount="6")], order_discount=D(0),
                   tax_inclusive=False, currency=USD)
    with pytest.raises(InvalidInput):
        price_sale([line("A", "1", "5")], order_discount=D("5.01"), tax_inclusive=False,
                   currency=USD)
    with pytest.raises(InvalidInput):
        price_sale([], order_discount=D(0), tax_inclusive=False, currency=USD)


prices = st.integers(min_value=0, max_value=100_000).map(USD.from_minor)
quantities = st.integers(min_value=1, max_value=50_000).map(lambda n: D(n) / 1000)
rates = st.sampled_from([D("0"), D("0.05"), D("0.07"), D("0.08"), D("0.0825"), D("0.2")])


@st.composite
def sales(draw: st.DrawFn) -> tuple[list[LineInput], Decimal, bool]:
    lines = []
    for n in range(draw(st.integers(min_value=1, max_value=8))):
        qty, price = draw(quantities), draw(prices)
        gross = USD.round(qty * price)
        discount = USD.from_minor(draw(st.integers(min_value=0,
                                                   max_value=USD.to_minor(gross))))
        lines.append(LineInput(sku=f"S{n}", quantity=qty, unit_price=price, discount=discount,
                               tax_rate=draw(rates)))
    after = sum((USD.round(x.quantity * x.unit_price) - x.discount for x in lines), D(0))
    order_discount = USD.from_minor(draw(st.integers(min_value=0,
                                                     max_value=USD.to_minor(after))))
    return lines, order_discount, draw(st.booleans())


@given(sales())
def test_every_sale_adds_up_to_the_cent(case: tuple[list[LineInput], Decimal, bool]) -> None:
    lines, order_discount, inclusive = case
    sale = price_sale(lines, order_discount=order_discount, tax_inclusive=inclusive,
                      currency=USD)
    assert sum((x.order_discount for x in sale.lines), D(0)) == order_discount
    assert sale.total == sum((x.net + x.tax for x in sale.lines), D(0))
    assert sale.total == sale.subtotal - sale.discount_total + (0 if inclusive
                                                                 else sale.tax_total)
    for x in sale.lines:
        assert x.net >= 0
        assert x.tax >= 0
        for value in (x.net, x.tax, x.total, x.gross):
            assert value == USD.round(value)
        expected_tax = USD.round(x.total * x.tax_rate / (1 + x.tax_rate)) if inclusive \
            else USD.round(x.net * x.tax_rate)
        assert x.tax == expected_tax


def test_tenders_cover_the_total_and_change_comes_from_cash() -> None:
    done = settle(D("9.50"), [TenderInput("card", D("5.00"), "A1"), TenderInput("cash", D("5"))])
    assert done.change_due == D("0.50")
    with pytest.raises(InvalidInput, match="do not cover"):
        settle(D("9.50"), [TenderInput("cash", D("9.49"))])
    with pytest.raises(InvalidInput, match="change is only given from cash"):
        settle(D("9.50"), [TenderInput("card", D("10.00"), "A1")])
    with pytest.raises(InvalidInput, match="reference"):
        settle(D("1"), [TenderInput("card", D("1"))])
    with pytest.raises(InvalidInput, match="greater than zero"):
        settle(D("0"), [TenderInput("cash", D("0"))])
    assert settle(D("0"), []).change_due == 0
