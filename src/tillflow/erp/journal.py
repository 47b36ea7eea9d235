"""The journal in the database: entries and lines, the chart's overrides, unit costs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Row, select

from tillflow.db.tables import products
from tillflow.db.tables_accounting import (
    account_mappings,
    journal_entries,
    journal_lines,
    unit_costs,
)
from tillflow.domain.accounting.chart import Chart, validate_mapping
from tillflow.domain.accounting.entries import JournalEntry, JournalLine
from tillflow.domain.money import Currency


def save_entry(connection: Connection, entry: JournalEntry, currency: Currency) -> bool:
    """Store ``entry``; False (and nothing written) when its document is already booked.

    The unique reference settles a race between two workers: the loser's transaction
    fails and its event is handled again, finding the entry there.
    """
    booked = connection.execute(select(journal_entries.c.id).where(
        journal_entries.c.reference == entry.reference)).first()
    if booked is not None:
        return False
    entry_id = connection.execute(journal_entries.insert().values(
        reference=entry.reference, kind=entry.kind,
        document_number=entry.document_number, shift_id=entry.shift_id,
        description=entry.description[:200], occurred_at=entry.occurred_at,
    )).inserted_primary_key[0]  # type: ignore[index]
    if entry.lines:
        connection.execute(journal_lines.insert(), [
            {"entry_id": entry_id, "line_no": number, "role": item.role,
             "account": item.account, "debit": currency.to_minor(item.debit),
             "credit": currency.to_minor(item.credit)}
            for number, item in enumerate(entry.lines, start=1)
        ])
    return True


def entries(connection: Connection, currency: Currency, *, start: datetime | None = None,
            end: datetime | None = None, shift_id: str | None = None,
            document_number: str | None = None) -> list[JournalEntry]:
    """Entries in booking order, optionally within [start, end), of one shift or of one
    document (a sale's entry and its settlements)."""
    query = select(journal_entries).order_by(journal_entries.c.id)
    if start is not None:
        query = query.where(journal_entries.c.occurred_at >= start)
    if end is not None:
        query = query.where(journal_entries.c.occurred_at < end)
    if shift_id is not None:
        query = query.where(journal_entries.c.shift_id == shift_id)
    if document_number is not None:
        query = query.where(journal_entries.c.document_number == document_number)
    rows = connection.execute(query).all()
    lines = _lines(connection, currency, [row.id for row in rows])
    return [_entry(row, lines.get(row.id, ())) for row in rows]


def entries_after(connection: Connection, currency: Currency, *, after_id: int,
                  limit: int = 5000) -> list[tuple[int, JournalEntry]]:
    """Entries booked after the one of id ``after_id``, in booking order, with their ids."""
    rows = connection.execute(select(journal_entries).where(journal_entries.c.id > after_id)
                              .order_by(journal_entries.c.id).limit(limit)).all()
    lines = _lines(connection, currency, [row.id for row in rows])
    return [(row.id, _entry(row, lines.get(row.id, ()))) for row in rows]


def _lines(connection: Connection, currency: Currency,
           ids: list[int]) -> dict[int, tuple[JournalLine, ...]]:
    found: dict[int, list[JournalLine]] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        query = (select(journal_lines).where(journal_lines.c.entry_id.in_(chunk))
                 .order_by(journal_lines.c.entry_id, journal_lines.c.line_no))
        for row in connection.execute(query):
            found.setdefault(row.entry_id, []).append(JournalLine(
                row.role, row.account, debit=currency.from_minor(row.debit),
                credit=currency.from_minor(row.credit)))
    return {key: tuple(value) for key, value in found.items()}


def _entry(row: Row[tuple[object, ...]], lines: tuple[JournalLine, ...]) -> JournalEntry:
    data = row._mapping
    return JournalEntry(reference=data["reference"], kind=data["kind"],
                        document_number=data["document_number"],
                        occurred_at=data["occurred_at"], description=data["description"],
                        lines=lines, shift_id=data["shift_id"])


def has_role(connection: Connection, role: str) -> bool:
    """Whether any entry has a line of ``role``."""
    return connection.execute(select(journal_lines.c.entry_id).where(
        journal_lines.c.role == role).limit(1)).first() is not None


def chart(connection: Connection) -> Chart:
    overrides = {row.role: row.account for row in connection.execute(select(account_mappings))}
    return Chart.with_overrides(overrides)


def set_mappings(connection: Connection, mapping: dict[str, str]) -> None:
    validate_mapping(mapping)
    for role, account in mapping.items():
        connection.execute(account_mappings.delete().where(account_mappings.c.role == role))
        connection.execute(account_mappings.insert().values(role=role, account=account.strip()))


def costs(connection: Connection, skus: Iterable[str]) -> dict[str, Decimal]:
    """What a unit of each SKU cost, for the cost of goods sold: the ERP's cost price where
    an ERP connection brought one (the books value the stock), else the product's own cost
    as tillflow keeps it (set by hand, imported, or averaged over goods received)."""
    wanted = sorted(set(skus))
    found: dict[str, Decimal] = {row.sku: row.unit_cost for row in connection.execute(
        select(products.c.sku, products.c.unit_cost).where(
            products.c.sku.in_(wanted), products.c.unit_cost.is_not(None)))}
    found.update({row.sku: row.unit_cost for row in connection.execute(
        select(unit_costs.c.sku, unit_costs.c.unit_cost).where(unit_costs.c.sku.in_(wanted)))})
    return found


def set_cost(connection: Connection, *, sku: str, unit_cost: Decimal, source: str) -> None:
    connection.execute(unit_costs.delete().where(unit_costs.c.sku == sku))
    connection.execute(unit_costs.insert().values(sku=sku, unit_cost=unit_cost, source=source))
