"""Importing products from CSV: each good row lands, each bad one is reported by line."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tillflow.domain.card_data import CardDataRefused, refuse_card_data
from tillflow.domain.errors import DomainError, NotFound
from tillflow.services import catalog
from tillflow.services.context import ServiceContext

REQUIRED_COLUMNS = ("sku", "name", "price")
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "active"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "inactive"})


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
    transaction; ``ValueError`` naming ``source`` if a required column is missing."""
    report = ImportReport()
    for line, row in _rows(lines, source):
        try:
            _import_row(ctx, row, report)
        except DomainError as exc:
            sku = "" if isinstance(exc, CardDataRefused) else (row.get("sku") or "").strip()
            report.rejected.append(Rejected(line, sku, exc.message))
        except ValueError as exc:
            report.rejected.append(Rejected(line, (row.get("sku") or "").strip(), str(exc)))
        on_row()
    return report


def _rows(lines: Iterable[str], source: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}


def _import_row(ctx: ServiceContext, row: dict[str, str], report: ImportReport) -> None:
    sku = row["sku"].strip()
    for column in ("sku", "name"):  # a row carrying a card number is refused, by line
        refuse_card_data(row[column], field=column)
    data = catalog.ProductInput(
        sku=sku,
        name=row["name"],
        price=row["price"].strip(),
        tax_rate=(row.get("tax_rate") or "0").strip(),
        barcodes=[code for code in (row.get("barcodes") or "").replace("|", " ").split() if code],
        active=_flag(row.get("active", "")),
        cost=(row.get("cost") or "").strip() or None,
    )
    try:
        current = catalog.get_product(ctx, sku)
    except NotFound:
        catalog.create_product(ctx, data)
        report.created += 1
        return
    changed = catalog.update_product(ctx, sku, catalog.ProductChanges(
        name=data.name, price=data.price, tax_rate=data.tax_rate, barcodes=data.barcodes,
        active=data.active, cost=data.cost,
    ))
    if changed.version == current.version:
        report.unchanged += 1
    else:
        report.updated += 1


def _flag(raw: str) -> bool:
    word = raw.strip().lower()
    if not word or word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"active must be true or false, not {raw!r}")
