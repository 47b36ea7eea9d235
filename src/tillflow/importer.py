"""Importing products from CSV: each good row lands, each bad one is reported by line.

Columns: ``sku``, ``name``, ``price`` (required), ``tax_rate``, ``barcodes`` (separated
by spaces or ``|``), ``active``, ``cost``, ``category``; and for products with variants
``product`` (the same value on each of a product's rows) with ``option1_name``,
``option1_value`` … ``option3_name``, ``option3_value`` (see ``importer_variants``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tillflow.domain.card_data import CardDataRefused, refuse_card_data
from tillflow.domain.errors import DomainError, NotFound
from tillflow.importer_variants import Row, barcodes, flag, import_product
from tillflow.services import catalog
from tillflow.services.context import ServiceContext

REQUIRED_COLUMNS = ("sku", "name", "price")


@dataclass(frozen=True)
class Rejected:
    line: int
    sku: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def count_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def import_products(ctx: ServiceContext, path: Path,
                    on_row: Callable[[], None] = lambda: None) -> ImportReport:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return import_csv(ctx, handle, source=str(path), on_row=on_row)


def import_csv(ctx: ServiceContext, lines: Iterable[str], *, source: str,
               on_row: Callable[[], None] = lambda: None) -> ImportReport:
    """Import the rows of a CSV text (a file's or an upload's), each in its own
    transaction (the rows of one ``product``, together in one); ``ValueError`` naming
    ``source`` if a required column is missing."""
    report = ImportReport()
    singles, grouped = _split(_rows(lines, source))
    for line, row in singles:
        try:
            _import_row(ctx, row, report)
        except DomainError as exc:
            sku = "" if isinstance(exc, CardDataRefused) else (row.get("sku") or "").strip()
            report.rejected.append(Rejected(line, sku, exc.message))
        except ValueError as exc:
            report.rejected.append(Rejected(line, (row.get("sku") or "").strip(), str(exc)))
        on_row()
    for handle, rows in grouped.items():
        _import_product(ctx, handle, rows, report)
        for _ in rows:
            on_row()
    report.rejected.sort(key=lambda r: r.line)
    return report


def _split(rows: Iterator[tuple[int, dict[str, str]]]) -> tuple[
        list[tuple[int, dict[str, str]]], dict[str, list[Row]]]:
    """Rows of a product of their own, and the rows of each ``product`` named."""
    singles: list[tuple[int, dict[str, str]]] = []
    grouped: dict[str, list[Row]] = {}
    for line, row in rows:
        handle = (row.get("product") or "").strip()
        if handle:
            grouped.setdefault(handle, []).append(Row(line, row))
        else:
            singles.append((line, row))
    return singles, grouped


def _import_product(ctx: ServiceContext, handle: str, rows: list[Row],
                    report: ImportReport) -> None:
    try:
        outcome = import_product(ctx, rows)
    except (DomainError, ValueError) as exc:
        reason = exc.message if isinstance(exc, DomainError) else str(exc)
        refused_card = isinstance(exc, CardDataRefused)
        report.rejected.extend(
            Rejected(row.line, "" if refused_card else row.get("sku"),
                     f"product {handle!r}: {reason}") for row in rows)
        return
    report.created += outcome.created
    report.updated += outcome.updated
    report.unchanged += outcome.unchanged


def _rows(lines: Iterable[str], source: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}


def _import_row(ctx: ServiceContext, row: dict[str, str], report: ImportReport) -> None:
    sku = row["sku"].strip()
    for column in ("sku", "name", "category"):  # a row carrying a card number is refused
        refuse_card_data(row.get(column) or "", field=column)
    data = catalog.ProductInput(
        sku=sku,
        name=row["name"],
        price=row["price"].strip(),
        tax_rate=(row.get("tax_rate") or "0").strip(),
        barcodes=barcodes(row.get("barcodes") or ""),
        active=flag(row.get("active", "")),
        cost=(row.get("cost") or "").strip() or None,
        category=(row.get("category") or "").strip() or None,
    )
    try:
        current = catalog.get_product(ctx, sku)
    except NotFound:
        catalog.create_product(ctx, data)
        report.created += 1
        return
    changed = catalog.update_product(ctx, sku, catalog.ProductChanges(
        name=data.name, price=data.price, tax_rate=data.tax_rate, barcodes=data.barcodes,
        active=data.active, cost=data.cost, category=data.category,
    ))
    if changed.version == current.version:
        report.unchanged += 1
    else:
        report.updated += 1
