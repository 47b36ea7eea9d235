"""The price the server finds for each line of a sale, whatever the client says.

From the catalog; from a price-embedded barcode the line carries (decoded here: the
store's in-store RCN layouts, GS1's 392n); or, for a sale a paired register made offline,
from the catalog as that register last read it (``RegisterPriceRepository``), since that
is what it charged. A later change of the catalog's price is then recorded as a price
discrepancy by ``sale_controls``, never refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.barcodes import DEFAULT_RCN_RULES, BarcodeError, ScanResult, parse_scan
from tillflow.domain.errors import InvalidInput
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import PricedProduct, Register, SyncedPrice

CATALOG = "catalog"
BARCODE = "barcode"
SYNCED = "synced"


@dataclass(frozen=True)
class LineToPrice:
    sku: str
    quantity: Decimal
    barcode: str | None


@dataclass(frozen=True)
class FoundPrice:
    price: Decimal
    source: str
    # An offline line priced as the register synced it, where the catalog now differs.
    stale: SyncedPrice | None = None


def found_prices(uow: UnitOfWork, lines: Sequence[LineToPrice],
                 catalog: Mapping[str, PricedProduct], *,
                 synced_at: Register | None) -> list[FoundPrice]:
    """One found price per line; ``synced_at`` is the register whose synced catalog prices
    an offline sale (None for a sale made online)."""
    synced: dict[int, SyncedPrice] = {}
    if synced_at is not None:
        synced = uow.register_prices.synced(synced_at.id, {p.id for p in catalog.values()})
    scans = _scans(uow, lines, catalog)
    found = []
    for index, line in enumerate(lines):
        product = catalog[line.sku]
        scan = scans.get(index)
        if scan is not None and scan.unit_price is not None:
            found.append(FoundPrice(scan.unit_price, BARCODE))
        elif product.id in synced:
            known = synced[product.id]
            stale = known if known.price != product.price else None
            found.append(FoundPrice(known.price, SYNCED, stale))
        else:
            found.append(FoundPrice(product.price, CATALOG))
    return found


def _scans(uow: UnitOfWork, lines: Sequence[LineToPrice],
           catalog: Mapping[str, PricedProduct]) -> dict[int, ScanResult]:
    """The decoded barcodes of the lines that carry one, each checked against its line."""
    carrying = [(i, line) for i, line in enumerate(lines) if line.barcode is not None]
    if not carrying:
        return {}
    rules = uow.details.read().rcn_rules or DEFAULT_RCN_RULES
    scans = {}
    for index, line in carrying:
        field = f"lines[{index}].barcode"
        assert line.barcode is not None
        try:
            scan = parse_scan(line.barcode, rules)
        except BarcodeError as exc:
            raise InvalidInput(f"line {index + 1}: {exc}", details={"field": field}) from None
        owner = uow.products.owner_of_barcodes([scan.lookup_gtin14]).get(scan.lookup_gtin14)
        if owner != catalog[line.sku].id:
            raise InvalidInput(f"line {index + 1}: barcode {line.barcode!r} is not one of "
                               f"{line.sku!r}", details={"field": field})
        if scan.quantity is not None and scan.quantity != line.quantity:
            raise InvalidInput(f"line {index + 1}: the barcode weighs {scan.quantity}, the "
                               f"line says {line.quantity}",
                               details={"field": f"lines[{index}].quantity"})
        scans[index] = scan
    return scans
