"""Posting rules: every entry balances to the cent, per tax rate and per tender."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillflow.domain.accounting.chart import Chart
from tillflow.domain.accounting.entries import (
    Document,
    JournalEntry,
    JournalLine,
    TaxedLine,
    Tender,
    UnbalancedEntry,
    balanced,
    summarise,
)
from tillflow.domain.accounting.rules import (
    card_fee_entry,
    cash_movement_entry,
    return_entry,
    sale_entry,
    shift_close_entry,
    trial_balance,
)
from tillflow.domain.money import Currency
from tillflow.domain.sales import LineInput, TenderInput, price_sale, settle

EUR = Currency.of("EUR")
NOON = datetime(2026, 11, 26, 12, tzinfo=UTC)
CHART = Chart()
RATES = [Decimal("0"), Decimal("0.05"), Decimal("0.08"), Decimal("0.2"), Decimal("0.255")]

money = st.integers(min_value=1, max_value=500_00).map(lambda n: Decimal(n).scaleb(-2))
quantities = st.one_of(st.integers(1, 20).map(Decimal),
                       st.integers(1, 5000).map(lambda n: Decimal(n).scaleb(-3)))
lines = st.lists(st.tuples(money, quantities, st.sampled_from(RATES),
                           st.integers(0, 100)), min_size=1, max_size=8)


def debits(entry: JournalEntry) -> Decimal:
    return sum((line.debit for line in entry.lines), Decimal(0))


def credits(entry: JournalEntry) -> Decimal:
    return sum((line.credit for line in entry.lines), Decimal(0))


def role_total(entry: JournalEntry, prefix: str) -> Decimal:
    return sum((line.balance for line in entry.lines if line.role.startswith(prefix)),
               Decimal(0))


@settings(max_examples=300, deadline=None)
@given(lines=lines, inclusive=st.booleans(), card_share=st.integers(0, 100),
       extra_cash=st.integers(0, 5000), order_discount_pct=st.integers(0, 30),
       cost=st.one_of(st.none(), money))
def test_every_sale_posting_balances_to_the_cent(
        lines: list[tuple[Decimal, Decimal, Decimal, int]], inclusive: bool, card_share: int,
        extra_cash: int, order_discount_pct: int, cost: Decimal | None) -> None:
    inputs = []
    for index, (price, quantity, rate, discount_pct) in enumerate(lines):
        gross = EUR.round(price * quantity)
        inputs.append(LineInput(f"SKU{index}", quantity, price,
                                EUR.round(gross * discount_pct / 100), rate))
    after_line = sum((EUR.round(i.unit_price * i.quantity) - i.discount for i in inputs),
                     Decimal(0))
    priced = price_sale(inputs, order_discount=EUR.round(after_line * order_discount_pct / 100),
                        tax_inclusive=inclusive, currency=EUR)
    card = EUR.round(priced.total * card_share / 100)
    cash = priced.total - card + Decimal(extra_cash).scaleb(-2)
    tenders = [t for t in (TenderInput("card", card, "T"), TenderInput("cash", cash)) if t.amount]
    if not tenders:
        return
    settled = settle(priced.total, tenders)
    document = Document(
        number="S-1", occurred_at=NOON,
        lines=tuple(TaxedLine(p.sku, p.quantity, p.tax_rate, p.net, p.tax) for p in priced.lines),
        tenders=tuple(Tender(t.method, t.amount) for t in settled.tenders),
        change_due=settled.change_due)
    costs = {} if cost is None else {"SKU0": cost}
    entry = sale_entry(document, chart=CHART, costs=costs, currency=EUR)
    assert debits(entry) == credits(entry)
    assert all(line.debit >= 0 and line.credit >= 0 for line in entry.lines)
    assert all(line.debit == EUR.round(line.debit) for line in entry.lines)
    assert all(line.credit == EUR.round(line.credit) for line in entry.lines)
    assert -role_total(entry, "revenue") == sum((p.net for p in priced.lines), Decimal(0))
    assert -role_total(entry, "tax") == priced.tax_total
    assert role_total(entry, "tender") == priced.total
    assert role_total(entry, "cogs") == -role_total(entry, "inventory")
    for rate in {p.tax_rate for p in priced.lines}:
        key = format(rate.normalize(), "f")
        assert -sum((x.balance for x in entry.lines if x.role == f"tax:{key}"),
                    Decimal(0)) == sum(
            (p.tax for p in priced.lines if p.tax_rate == rate), Decimal(0))


def test_a_sale_books_revenue_and_tax_per_rate_and_tenders_net_of_change() -> None:
    document = Document(
        number="S-7", occurred_at=NOON,
        lines=(TaxedLine("A", Decimal(2), Decimal("0.08"), Decimal("20.00"), Decimal("1.60")),
               TaxedLine("B", Decimal(1), Decimal("0.2"), Decimal("5.00"), Decimal("1.00"))),
        tenders=(Tender("card", Decimal("10.00")), Tender("cash", Decimal("20.00"))),
        change_due=Decimal("2.40"))
    entry = sale_entry(document, chart=CHART, costs={"A": Decimal("6.125")}, currency=EUR)
    assert entry.reference == "sale:S-7"
    assert set(entry.lines) == {
        JournalLine("revenue:0.08", "4000", credit=Decimal("20.00")),
        JournalLine("tax:0.08", "2200", credit=Decimal("1.60")),
        JournalLine("revenue:0.2", "4000", credit=Decimal("5.00")),
        JournalLine("tax:0.2", "2200", credit=Decimal("1.00")),
        JournalLine("cogs", "5000", debit=Decimal("12.25")),
        JournalLine("inventory", "1300", credit=Decimal("12.25")),
        JournalLine("tender:card", "1100", debit=Decimal("10.00")),
        JournalLine("tender:cash", "1000", debit=Decimal("17.60")),
    }


def test_a_return_reverses_the_sale_and_only_restocked_goods_leave_cogs() -> None:
    line = TaxedLine("A", Decimal(1), Decimal("0.08"), Decimal("10.00"), Decimal("0.80"))
    refund = (Tender("cash", Decimal("10.80")),)
    kept = Document("R-1", NOON, (line,), refund, restock=True)
    damaged = Document("R-2", NOON, (line,), refund, restock=False)
    costs = {"A": Decimal("4")}
    restocked = return_entry(kept, chart=CHART, costs=costs, currency=EUR)
    assert JournalLine("inventory", "1300", debit=Decimal("4.00")) in restocked.lines
    assert JournalLine("tender:cash", "1000", credit=Decimal("10.80")) in restocked.lines
    assert JournalLine("revenue:0.08", "4000", debit=Decimal("10.00")) in restocked.lines
    written_off = return_entry(damaged, chart=CHART, costs=costs, currency=EUR)
    assert not [x for x in written_off.lines if x.role in ("cogs", "inventory")]


def test_cash_movements_and_over_short_move_cash_against_their_accounts() -> None:
    drop = cash_movement_entry(number="SH-9", shift_id="SH", amount=Decimal("-50.00"),
                               reason="safe drop", occurred_at=NOON, chart=CHART)
    assert set(drop.lines) == {JournalLine("tender:cash", "1000", credit=Decimal("50.00")),
                               JournalLine("cash_transfer", "1010", debit=Decimal("50.00"))}
    short = shift_close_entry(shift_id="SH", over_short=Decimal("-0.50"), occurred_at=NOON,
                              chart=CHART)
    assert set(short.lines) == {JournalLine("tender:cash", "1000", credit=Decimal("0.50")),
                                JournalLine("over_short", "6900", debit=Decimal("0.50"))}
    assert shift_close_entry(shift_id="SH", over_short=Decimal(0), occurred_at=NOON,
                             chart=CHART).lines == ()


def test_a_card_fee_is_an_expense_out_of_the_tender_s_clearing_account() -> None:
    chart = Chart.with_overrides({"tender:card": "1110", "card_fees": "6150"})
    fee = card_fee_entry(payment_id="P-1", method="card", fee=Decimal("0.81"),
                         occurred_at=NOON, chart=chart)
    assert (fee.reference, fee.kind, fee.shift_id) == ("card-fee:P-1", "card_fee", None)
    assert set(fee.lines) == {JournalLine("card_fees", "6150", debit=Decimal("0.81")),
                              JournalLine("tender:card", "1110", credit=Decimal("0.81"))}
    assert card_fee_entry(payment_id="P-2", method="card", fee=Decimal(0),
                          occurred_at=NOON, chart=CHART).lines == ()


def test_the_chart_maps_the_most_specific_role_and_refuses_unknown_roles() -> None:
    chart = Chart.with_overrides({"revenue:0.2": "4020", "tender:voucher": "1150"})
    assert chart.account("revenue:0.2") == "4020"
    assert chart.account("revenue:0.08") == "4000"
    assert chart.account("tender:voucher") == "1150"
    assert chart.account("tender:card") == "1100"
    with pytest.raises(Exception, match="unknown posting role"):
        Chart.with_overrides({"profit": "9999"})


def test_a_shift_summary_nets_each_account_and_the_trial_balance_sums_it() -> None:
    sale = sale_entry(Document("S-1", NOON, (TaxedLine("A", Decimal(1), Decimal("0.1"),
                                                       Decimal("10.00"), Decimal("1.00")),),
                               (Tender("cash", Decimal("11.00")),)),
                      chart=CHART, costs={}, currency=EUR)
    drop = cash_movement_entry(number="SH-1", shift_id="SH", amount=Decimal("-11.00"),
                               reason="drop", occurred_at=NOON, chart=CHART)
    summary = summarise([sale, drop], reference="shift-summary:SH", document_number="SH",
                        occurred_at=NOON, description="summary")
    assert set(summary.lines) == {JournalLine("revenue:0.1", "4000", credit=Decimal("10.00")),
                                  JournalLine("tax:0.1", "2200", credit=Decimal("1.00")),
                                  JournalLine("cash_transfer", "1010", debit=Decimal("11.00"))}
    rows = trial_balance([*sale.lines, *drop.lines])
    assert ("1000", Decimal("11.00"), Decimal("11.00")) in rows
    assert sum(r[1] for r in rows) == sum(r[2] for r in rows)


def test_an_unbalanced_set_of_lines_is_refused() -> None:
    with pytest.raises(UnbalancedEntry):
        balanced([JournalLine("cogs", "5000", debit=Decimal("1.00"))])
