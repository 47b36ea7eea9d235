"""What journal entries become in SaaS books: documents, payments and the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tillflow.connectors.common.books_shapes import (
    CLEARING,
    account_of,
    shape,
    tax_code_of,
    tax_codes,
)
from tillflow.domain.accounting.chart import Chart
from tillflow.domain.accounting.entries import Document, JournalEntry, TaxedLine, Tender, summarise
from tillflow.domain.accounting.rules import cash_movement_entry, return_entry, sale_entry
from tillflow.domain.money import Currency
from tillflow.ports.accounting import ErpRejected

WHEN = datetime(2026, 12, 6, 12, tzinfo=UTC)
EUR = Currency("EUR", 2)
CHART = Chart()
D = Decimal


def _sale(number: str, *, tenders: tuple[Tender, ...], change: str = "0") -> JournalEntry:
    document = Document(number=number, occurred_at=WHEN, lines=(
        TaxedLine("A", D(2), D("0.08"), D("20.00"), D("1.60")),
        TaxedLine("B", D(3), D("0.2"), D("14.97"), D("2.99"))),
        tenders=tenders, change_due=D(change), shift_id="S1")
    return sale_entry(document, chart=CHART, costs={"A": D("4.00")}, currency=EUR)


def _balance(entry: JournalEntry) -> Decimal:
    return sum((x.debit - x.credit for x in entry.lines), D(0))


def test_a_sale_is_a_document_per_line_with_a_payment_per_tender_and_cost_apart() -> None:
    entry = _sale("R1-1", tenders=(Tender("cash", D("30.00")), Tender("card", D("10.00"))),
                  change="0.44")
    found = shape(entry)
    assert found.document is not None
    assert not found.document.refund
    assert [(x.sku, x.role, x.net, x.tax) for x in found.document.lines] == [
        ("A", "revenue:0.08", D("20.00"), D("1.60")), ("B", "revenue:0.2", D("14.97"),
                                                       D("2.99"))]
    assert found.document.payments == (("tender:cash", D("29.56")), ("tender:card", D("10.00")))
    assert found.document.total == D("39.56")
    assert {x.role for x in found.journal} == {"cogs", "inventory"}


def test_a_return_is_a_refund_document() -> None:
    document = Document(number="R1-2", occurred_at=WHEN, lines=(
        TaxedLine("B", D(1), D("0.2"), D("4.99"), D("1.00")),),
        tenders=(Tender("cash", D("5.99")),), shift_id="S1")
    found = shape(return_entry(document, chart=CHART, costs={}, currency=EUR))
    assert found.document is not None
    assert found.document.refund
    assert found.document.payments == (("tender:cash", D("5.99")),)


@pytest.mark.parametrize("returned", [False, True])
def test_a_summary_is_one_document_per_rate_through_the_clearing_account(
        returned: bool) -> None:
    sale = _sale("R1-1", tenders=(Tender("cash", D("39.56")),))
    entries = [sale]
    if returned:  # more given back than sold: a refund document
        big = Document(number="R1-2", occurred_at=WHEN, lines=(
            TaxedLine("A", D(5), D("0.08"), D("50.00"), D("4.00")),),
            tenders=(Tender("card", D("54.00")),), shift_id="S1")
        entries.append(return_entry(big, chart=CHART, costs={}, currency=EUR))
    entries.append(cash_movement_entry(number="S1-1", shift_id="S1", amount=D("-10.00"),
                                       reason="safe drop", occurred_at=WHEN, chart=CHART))
    summary = summarise(entries, reference="shift-summary:S1", document_number="S1",
                        occurred_at=WHEN, description="summary", shift_id="S1")
    found = shape(summary)
    assert found.document is not None
    assert found.document.refund is returned
    total = found.document.total
    assert found.document.payments == ((CLEARING, total),)
    assert all(x.sku is None for x in found.document.lines)
    clearing = [x for x in found.journal if x.role == CLEARING]
    sign = -1 if returned else 1
    assert sum((x.debit - x.credit for x in clearing), D(0)) == -sign * total
    # The journal balances on its own: with the document and its payment into the
    # clearing account, it adds up to the summary account by account.
    assert sum((x.debit - x.credit for x in found.journal), D(0)) == 0
    assert _balance(summary) == 0


def test_an_entry_without_sales_is_a_journal_only() -> None:
    entry = cash_movement_entry(number="S1-1", shift_id="S1", amount=D("25.00"),
                                reason="float", occurred_at=WHEN, chart=CHART)
    found = shape(entry)
    assert found.document is None
    assert found.journal == entry.lines


def test_mappings_fall_back_to_the_base_role_and_name_what_is_missing() -> None:
    accounts = {"tender": "092", "tender:cash": "091"}
    assert account_of(accounts, "tender:card") == "092"
    assert account_of(accounts, "tender:cash") == "091"
    with pytest.raises(ErpRejected, match=r"settings\.accounts"):
        account_of(accounts, "over_short")
    codes = tax_codes({"0.20": "OUTPUT", "0": "ZERO"})
    assert tax_code_of(codes, D("0.2")) == "OUTPUT"
    assert tax_code_of(codes, D("0.00")) == "ZERO"
    with pytest.raises(ErpRejected, match=r"8 %.*settings\.tax_codes"):
        tax_code_of(codes, D("0.08"))
