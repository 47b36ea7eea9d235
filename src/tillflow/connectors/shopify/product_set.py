"""``productSet`` input lines for a bulk push, and what the results file says of each.

A line describes a whole product: its options and its variants, each with SKU, price,
barcode, option values and stock per location. A tillflow product is one variant with
no options today, which Shopify shows as the option "Title" with the one value "Default
Title"; a product with real options goes through the same builder.

A line names its product by handle (``identifier: {handle}``), so running the same line
again updates the product the first run made rather than making a second one: a push
that is retried after a failed or canceled bulk operation never duplicates. The handle
is the first SKU's, lowercased, with a short digest of the SKU itself, so that two SKUs
differing only in case or punctuation never share one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tillflow.ports.commerce import ProductData

DEFAULT_OPTION, DEFAULT_VALUE = "Title", "Default Title"


@dataclass(frozen=True)
class VariantSpec:
    sku: str
    price: Decimal
    barcode: str | None
    option_values: Mapping[str, str]
    stock: Mapping[str, int] = field(default_factory=dict)
    # The shop's id of the variant, when it has it already.
    id: str | None = None


@dataclass(frozen=True)
class ProductSpec:
    title: str
    status: str
    options: Sequence[tuple[str, Sequence[str]]]
    variants: Sequence[VariantSpec]

    @property
    def handle(self) -> str:
        return handle_for(self.variants[0].sku)

    @property
    def skus(self) -> list[str]:
        return [v.sku for v in self.variants]


@dataclass(frozen=True)
class SavedVariant:
    product_id: str
    variant_id: str
    item_id: str


@dataclass
class Outcome:
    """Per SKU: saved with the shop's ids, or refused with the shop's reason. A SKU in
    neither had no answer (its line never ran)."""

    saved: dict[str, SavedVariant] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    def answered(self, spec: ProductSpec) -> bool:
        return all(s in self.saved or s in self.refused for s in spec.skus)

    def add(self, other: Outcome) -> None:
        self.saved.update(other.saved)
        self.refused.update(other.refused)


def handle_for(sku: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", sku.lower()).strip("-") or "sku"
    return f"{slug}-{hashlib.sha256(sku.encode()).hexdigest()[:6]}"


def single(product: ProductData, location: str) -> ProductSpec:
    """A tillflow product as Shopify's one-variant product, its stock at ``location``."""
    return ProductSpec(
        title=product.title, status=product.status,
        options=[(DEFAULT_OPTION, [DEFAULT_VALUE])],
        variants=[VariantSpec(sku=product.sku, price=product.price, barcode=product.barcode,
                              option_values={DEFAULT_OPTION: DEFAULT_VALUE},
                              stock={location: product.available})])


def line(spec: ProductSpec, *, product_id: str | None = None,
         handle: str | None = None) -> dict[str, Any]:
    """The variables of one ``productSet`` call for ``spec``: the shop's product
    ``product_id``, else the one with ``handle`` (by default the first SKU's)."""
    if product_id is not None:
        return {"identifier": {"id": product_id}, "input": _fields(spec)}
    handle = handle or spec.handle
    return {"identifier": {"handle": handle}, "input": {"handle": handle, **_fields(spec)}}


def _fields(spec: ProductSpec) -> dict[str, Any]:
    return {
        "title": spec.title, "status": spec.status.upper(),
        "productOptions": [{"name": name, "position": position,
                            "values": [{"name": value} for value in values]}
                           for position, (name, values) in enumerate(spec.options, start=1)],
        "variants": [_variant(v) for v in spec.variants],
    }


def _variant(variant: VariantSpec) -> dict[str, Any]:
    return {
        **({"id": variant.id} if variant.id is not None else {}),
        "optionValues": [{"optionName": name, "name": value}
                         for name, value in variant.option_values.items()],
        "price": str(variant.price), "barcode": variant.barcode,
        "inventoryItem": {"sku": variant.sku, "tracked": True},
        "inventoryQuantities": [{"locationId": location, "name": "available",
                                 "quantity": max(0, quantity)}
                                for location, quantity in variant.stock.items()],
    }


def jsonl(specs: Sequence[ProductSpec]) -> bytes:
    return b"".join(_encoded(s) for s in specs)


def _encoded(spec: ProductSpec) -> bytes:
    return (json.dumps(line(spec), separators=(",", ":")) + "\n").encode()


def files(specs: Sequence[ProductSpec], *, max_bytes: int) -> list[list[ProductSpec]]:
    """``specs`` in runs whose JSONL stays within ``max_bytes`` (a product's line never
    splits: one larger than that goes alone)."""
    runs: list[list[ProductSpec]] = []
    size = max_bytes + 1
    for spec in specs:
        length = len(_encoded(spec))
        if size + length > max_bytes:
            runs.append([])
            size = 0
        runs[-1].append(spec)
        size += length
    return runs


def read_results(specs: Sequence[ProductSpec], lines: Iterable[str]) -> Outcome:
    """Each result line (``__lineNumber`` counts ``specs`` from 0) as saved or refused
    SKUs of its product."""
    outcome = Outcome()
    for raw in lines:
        if not raw.strip():
            continue
        answer = json.loads(raw)
        spec = specs[int(answer["__lineNumber"])]
        reason = _refusal(answer)
        if reason is not None:
            outcome.refused.update(dict.fromkeys(spec.skus, reason))
            continue
        product = answer["data"]["productSet"]["product"]
        made = {n["sku"]: n for n in product["variants"]["nodes"]}
        for sku in spec.skus:
            if sku in made:
                outcome.saved[sku] = SavedVariant(str(product["id"]), str(made[sku]["id"]),
                                                  str(made[sku]["inventoryItem"]["id"]))
            else:
                outcome.refused[sku] = "productSet saved the product without this variant"
    return outcome


def _refusal(answer: Mapping[str, Any]) -> str | None:
    errors = answer.get("errors")
    if errors:
        return f"productSet: {errors[0].get('message')}"
    result = (answer.get("data") or {}).get("productSet") or {}
    problems = result.get("userErrors") or []
    if problems:
        first = problems[0]
        where = ".".join(first.get("field") or [])
        return f"productSet {first.get('code')} at {where}: {first.get('message')}"
    if result.get("product") is None:
        return "productSet returned no product"
    return None
