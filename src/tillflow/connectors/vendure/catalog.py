"""Vendure's variants in the port's terms, and its stock arithmetic.

Vendure offers ``stockOnHand − stockAllocated − outOfStockThreshold`` of a tracked
variant: placing an order allocates, fulfilling it sells (both figures drop), cancelling
releases. Web orders reach tillflow's ledger as sales, so the figure tillflow publishes
already leaves them out; writing ``stockOnHand = available + stockAllocated + threshold``
makes the shop offer exactly that, whatever is allocated to open orders. The threshold
counts once, at the primary stock location (Vendure sums the locations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow.domain.money import Currency
from tillflow.ports.commerce import Rejected, RemoteProduct


@dataclass(frozen=True)
class Settings:
    currency: Currency
    prices_include_tax: bool
    threshold: int
    track_inventory: bool
    language: str
    primary_location: str
    locations: frozenset[str]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Settings:
        channel, settings = data["activeChannel"], data["globalSettings"]
        locations = [loc["id"] for loc in data["stockLocations"]["items"]]
        if not locations:
            raise Rejected("Vendure has no stock location")
        return cls(currency=Currency.of(channel["defaultCurrencyCode"]),
                   prices_include_tax=bool(channel["pricesIncludeTax"]),
                   threshold=int(settings["outOfStockThreshold"]),
                   track_inventory=bool(settings["trackInventory"]),
                   language=str(channel.get("defaultLanguageCode") or "en"),
                   primary_location=str(locations[0]), locations=frozenset(map(str, locations)))


@dataclass(frozen=True)
class Variant:
    id: str
    product_id: str
    sku: str
    name: str
    price: Decimal
    enabled: bool
    updated_at: str
    threshold: int
    tracked: bool
    levels: Mapping[str, tuple[int, int]]
    siblings: int
    own: tuple[str, bool]
    product: tuple[str, bool]
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, node: Mapping[str, Any], settings: Settings) -> Variant:
        flag = node["trackInventory"]
        tracked = flag == "TRUE" or (flag == "INHERIT" and settings.track_inventory)
        minor = node["priceWithTax"] if settings.prices_include_tax else node["price"]
        product = node.get("product") or {}
        return cls(
            id=str(node["id"]), product_id=str(node["productId"]), sku=node["sku"] or "",
            name=node["name"], price=settings.currency.from_minor(int(minor)),
            enabled=bool(node["enabled"]) and bool(product.get("enabled", True)),
            updated_at=node["updatedAt"],
            threshold=(settings.threshold if node["useGlobalOutOfStockThreshold"]
                       else int(node["outOfStockThreshold"])) if tracked else 0,
            tracked=tracked,
            levels={str(level["stockLocationId"]): (int(level["stockOnHand"]),
                                                    int(level["stockAllocated"]))
                    for level in node["stockLevels"]},
            siblings=len(product.get("variants") or [node]),
            own=(node["name"], bool(node["enabled"])),
            product=(str(product.get("name", "")), bool(product.get("enabled", True))),
            options=_options(node),
        )

    def shows(self, title: str, price: Decimal, enabled: bool) -> bool:
        """Whether Vendure already holds these (a write would only echo them back)."""
        same = self.own == (title, enabled) and self.price == price
        return same and (self.siblings > 1 or self.product == (title, enabled))

    def available(self, location: str, primary: str) -> int:
        on_hand, allocated = self.levels.get(location, (0, 0))
        return on_hand - allocated - (self.threshold if location == primary else 0)

    def on_hand_for(self, location: str, available: int, primary: str) -> int:
        """The ``stockOnHand`` that makes the location offer ``available``."""
        _, allocated = self.levels.get(location, (0, 0))
        return available + allocated + (self.threshold if location == primary else 0)

    def remote(self) -> RemoteProduct:
        """One SKU of its product, titled as the product."""
        return RemoteProduct(external_id=self.product_id, sku=self.sku,
                             title=self.product[0] or self.name, price=self.price,
                             barcode=None, status="active" if self.enabled else "draft",
                             updated_at=self.updated_at, options=self.options)


def _options(node: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The variant's option of each of its product's option groups, in the product's
    order of them (by name: a group's code is not unique across products)."""
    chosen = {o["group"]["name"]: o["name"] for o in node.get("options") or []}
    groups = [g["name"] for g in (node.get("product") or {}).get("optionGroups") or []]
    return tuple((name, chosen[name]) for name in groups if name in chosen)


def by_sku(variants: Iterable[Variant]) -> tuple[dict[str, Variant], dict[str, list[str]]]:
    """SKU -> its one variant, and the SKUs more than one variant carries (with their
    variant ids): Vendure does not keep SKUs unique, and tillflow does not guess."""
    found: dict[str, list[Variant]] = {}
    for variant in variants:
        if variant.sku:
            found.setdefault(variant.sku, []).append(variant)
    unique = {sku: vs[0] for sku, vs in found.items() if len(vs) == 1}
    duplicates = {sku: sorted(v.id for v in vs) for sku, vs in found.items() if len(vs) > 1}
    return unique, duplicates


def duplicate_error(duplicates: Mapping[str, list[str]]) -> Rejected:
    listed = "; ".join(f"{sku!r} on variants {', '.join(ids)}"
                       for sku, ids in sorted(duplicates.items()))
    return Rejected(f"Vendure has more than one variant with the same SKU ({listed}): "
                    "give each a unique SKU")
