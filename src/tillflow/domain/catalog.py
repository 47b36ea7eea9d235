"""Products as sold: one SKU each (a variant of a product, see ``variants``), with its
name, price, tax rate, barcodes, cost and the active flag."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tillflow.domain.card_data import mask_card_numbers
from tillflow.domain.errors import InvalidInput
from tillflow.domain.gtin import InvalidGtin, to_gtin14

_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$")
MAX_TAX_RATE = Decimal(1)
TAX_RATE_PLACES = 6


@dataclass(frozen=True)
class Barcode:
    code: str
    gtin14: str


@dataclass
class Product:
    sku: str
    name: str
    price: Decimal
    tax_rate: Decimal
    barcodes: list[Barcode] = field(default_factory=list)
    active: bool = True
    id: int | None = None
    version: int = 1
    # What a unit costs the store (for margins), to COST_PLACES decimals; None until known.
    cost: Decimal | None = None
    # The product this SKU is a variant of, and its value of each of the product's options
    # (in their order); a simple product's one variant takes none.
    product_id: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    # The product's category, carried here for reading (it is the product's to change).
    category: str | None = None


def validate_sku(sku: str) -> str:
    if not _SKU.match(sku):
        raise InvalidInput(
            f"SKU {sku!r} must be 1-64 letters, digits or . _ - / and start with a letter or digit",
            details={"field": "sku"},
        )
    return sku


def validate_code(code: str, *, field: str) -> str:
    """Codes of locations and registers: short, URL-safe, human-typed."""
    if not _CODE.match(code):
        raise InvalidInput(
            f"{field} {code!r} must be 1-32 letters, digits or . _ - and start with one",
            details={"field": field},
        )
    return code


def validate_name(name: str, *, field: str = "name", max_length: int = 200) -> str:
    """The name, trimmed. A card number in it is masked: a name that reaches here from a
    shop or an ERP is recorded without it (the API and the CLI refuse one outright)."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > max_length:
        raise InvalidInput(f"{field} must be 1-{max_length} characters", details={"field": field})
    return mask_card_numbers(cleaned)


def validate_price(price: Decimal) -> Decimal:
    if price < 0:
        raise InvalidInput("price must not be negative", details={"field": "price"})
    return price


def validate_tax_rate(rate: Decimal) -> Decimal:
    if rate < 0 or rate >= MAX_TAX_RATE:
        raise InvalidInput(
            "tax_rate must be a fraction from 0 up to (not including) 1, e.g. \"0.08\"",
            details={"field": "tax_rate"},
        )
    return rate


def parse_barcodes(codes: Iterable[str]) -> list[Barcode]:
    """Validate barcodes (GTIN check digits) and reject duplicates within one product."""
    barcodes: list[Barcode] = []
    seen: set[str] = set()
    for code in codes:
        try:
            gtin14 = to_gtin14(code.strip())
        except InvalidGtin as exc:
            raise InvalidInput(str(exc), details={"field": "barcodes", "barcode": code}) from None
        if gtin14 in seen:
            raise InvalidInput(
                f"barcode {code!r} is listed twice", details={"field": "barcodes", "barcode": code}
            )
        seen.add(gtin14)
        barcodes.append(Barcode(code=code.strip(), gtin14=gtin14))
    return barcodes
