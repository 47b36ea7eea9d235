"""Invoice lines an ERP recomputes (quantity × unit price) give the till's net exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.accounting.chart import invoiced
from tillflow.domain.accounting.entries import Document, TaxedLine, Tender

CENT = Decimal("0.01")
nets = st.decimals(min_value=0, max_value=100_000, places=2)
quantities = st.one_of(st.integers(1, 999).map(Decimal),
                       st.decimals(min_value=Decimal("0.001"), max_value=50, places=3))


@given(quantity=quantities, net=nets)
def test_quantity_times_price_is_the_net_to_the_cent(quantity: Decimal, net: Decimal) -> None:
    line = TaxedLine(sku="A", quantity=quantity, tax_rate=Decimal("0.2"), net=net,
                     tax=(net * Decimal("0.2")).quantize(CENT))
    billed, price = line.invoiced()
    assert (billed * price).quantize(CENT) == net  # Tryton rounds half even
    assert (billed * price).quantize(CENT, rounding=ROUND_HALF_UP) == net  # Odoo half up
    assert price == price.quantize(Decimal("0.0001"))
    assert billed in (quantity, Decimal(1))


def test_a_price_whose_line_rounds_differently_half_up_and_half_even_is_not_used() -> None:
    """118 × 847.4575 = 99,999.985: half up 99,999.99, half even 99,999.98."""
    line = TaxedLine(sku="A", quantity=Decimal(118), tax_rate=Decimal(0),
                     net=Decimal("99999.99"), tax=Decimal(0))
    assert line.invoiced() == (Decimal(1), Decimal("99999.99"))


def test_a_count_keeps_its_quantity_at_a_rounded_price() -> None:
    line = TaxedLine(sku="A", quantity=Decimal(3), tax_rate=Decimal(0), net=Decimal("10.00"),
                     tax=Decimal(0))
    assert line.invoiced() == (Decimal(3), Decimal("3.3333"))


def test_a_weight_is_billed_as_one_line_at_its_net() -> None:
    line = TaxedLine(sku="W", quantity=Decimal("0.523"), tax_rate=Decimal(0),
                     net=Decimal("5.23"), tax=Decimal(0))
    assert line.invoiced() == (Decimal(1), Decimal("5.23"))


def test_payments_keep_cash_net_of_change_and_drop_zero_tenders() -> None:
    document = Document(number="S-1", occurred_at=datetime.now(UTC),
                        lines=(), tenders=(Tender("cash", Decimal("50.00")),
                                           Tender("card", Decimal("5.00")),
                                           Tender("card", Decimal("1.00"))),
                        change_due=Decimal("10.44"))
    assert document.payments() == {"cash": Decimal("39.56"), "card": Decimal("6.00")}
    exact = Document(number="S-2", occurred_at=document.occurred_at, lines=(),
                     tenders=(Tender("cash", Decimal("5.00")),), change_due=Decimal("5.00"))
    assert exact.payments() == {}


def test_only_revenue_tax_and_tenders_travel_on_invoices() -> None:
    assert [role for role in ("revenue:0.2", "tax", "tender:card", "cogs", "inventory",
                              "over_short", "cash_transfer") if invoiced(role)] == [
        "revenue:0.2", "tax", "tender:card"]
