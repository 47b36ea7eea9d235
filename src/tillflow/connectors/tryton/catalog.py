"""Products and goods receipts in Tryton: push and pull products, pull received goods.

A tillflow SKU is the Tryton variant's ``code`` (written as its ``suffix_code``: the code
is computed from the template's prefix and the variant's suffix); its barcodes are the variant's EAN
identifiers. Prices are read from ``list_price_used`` (``list_price`` on a variant is a
per-variant override that reads as None). Goods received from a supplier are the done
stock moves of supplier shipments into a storage location.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow.connectors.tryton.product_fields import (
    cost_fields,
    new_identifiers,
    set_barcodes,
    tax_category,
    unit,
)
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.connectors.tryton.variants import upsert_template
from tillflow.ports.accounting import ErpProduct, ErpProductWithVariants, ErpReceipt, ErpRejected

PRODUCT_FIELDS = ["code", "name", "list_price_used", "cost_price", "identifiers"]


class TrytonCatalog:
    def __init__(self, client: TrytonClient) -> None:
        self.client = client

    def close(self) -> None:
        self.client.close()

    def products(self) -> list[ErpProduct]:
        found = self.client.model("product.product", "search_read", [("code", "!=", None)],
                                  0, None, [("code", "ASC")], PRODUCT_FIELDS)
        codes = self._identifier_codes([i for p in found for i in p["identifiers"]])
        return [ErpProduct(sku=p["code"], name=p["name"], price=p["list_price_used"],
                           cost=p["cost_price"] or None,
                           barcodes=tuple(codes[i] for i in p["identifiers"]))
                for p in found]

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> int:
        """Create the product, or bring the one Tryton has up to date; returns its id.

        The product is looked for among archived ones too, so a deactivated product is
        brought back rather than made twice. With ``tax_rate``, the template's account
        category is one whose customer taxes are the Tryton tax of that rate (Tryton keeps
        taxes and revenue accounts on categories).
        """
        category = None if tax_rate is None else tax_category(self.client, tax_rate)
        found = self.client.model(
            "product.product", "search_read",
            [("code", "=", sku), ("active", "in", [True, False])], 0, 1, None,
            ["template", "template.account_category", "template.active", "identifiers"])
        if not found:
            return self._create(sku=sku, name=name, price=price, barcodes=barcodes,
                                category=category, active=active, cost=cost)
        product, template = found[0], found[0]["template"]
        if not product["template."]["active"]:
            # Tryton keeps an archived product read-only: bring it back to change it.
            self.client.model("product.template", "write", [template], {"active": True})
        set_barcodes(self.client, int(product["id"]), product["identifiers"], barcodes)
        # Archiving the template archives its variant: Tryton's products are active only
        # while their template is.
        changes: dict[str, Any] = {"name": name, "list_price": price, "active": active}
        if category is not None and product["template."]["account_category"] != category:
            changes["account_category"] = category
        self.client.model("product.template", "write", [template], changes)
        if cost is not None:  # on the variant, not the template the changes went to
            self.client.model("product.product", "write", [product["id"]], cost_fields(cost))
        return int(product["id"])

    def upsert_variants(self, product: ErpProductWithVariants) -> dict[str, int]:
        """``product`` as one template with a variant per SKU (``tryton.variants``)."""
        return upsert_template(self.client, product)

    def _create(self, *, sku: str, name: str, price: Decimal, barcodes: tuple[str, ...],
                category: int | None, active: bool, cost: Decimal | None) -> int:
        variant: dict[str, Any] = {"suffix_code": sku, **cost_fields(cost)}
        if barcodes:
            variant["identifiers"] = [new_identifiers(barcodes)]
        template: dict[str, Any] = {
            "name": name, "type": "goods", "list_price": price, "active": active,
            "default_uom": unit(self.client), "products": [["create", [variant]]]}
        if category is not None:
            template["account_category"] = category
        [template_id] = self.client.model("product.template", "create", [template])
        [created] = self.client.model("product.template", "read", [template_id], ["products"])
        return int(created["products"][0])

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        """Done supplier receipts into the mapped storage locations, after move ``after``.

        ``locations`` maps a Tryton location code to the tillflow location it feeds.
        """
        ids = self._location_ids(locations)
        moves = self.client.model("stock.move", "search_read", [
            ("id", ">", after), ("state", "=", "done"),
            ("shipment", "like", "stock.shipment.in,%"),
            ("to_location", "in", list(ids)),
        ], 0, None, [("id", "ASC")], ["product.code", "to_location", "quantity",
                                        "shipment.rec_name"])
        return [ErpReceipt(external_id=str(m["id"]), sku=m["product."]["code"],
                           location=ids[m["to_location"]], quantity=Decimal(str(m["quantity"])),
                           shipment=m["shipment."]["rec_name"])
                for m in moves if m["product."].get("code")]

    def storage_location(self) -> str:
        """The code of the warehouse's storage location: where receipts end up by default."""
        found = self.client.model("stock.location", "search_read", [("type", "=", "warehouse")],
                                  0, 1, None, ["storage_location.code"])
        if not found or not found[0]["storage_location."]["code"]:
            raise ErpRejected("Tryton has no warehouse with a coded storage location")
        return str(found[0]["storage_location."]["code"])

    def _location_ids(self, locations: dict[str, str]) -> dict[int, str]:
        found = self.client.model("stock.location", "search_read",
                                  [("code", "in", list(locations))], 0, None, None, ["code"])
        known = {loc["code"]: int(loc["id"]) for loc in found}
        missing = sorted(set(locations) - set(known))
        if missing:
            raise ErpRejected(f"Tryton has no stock location with code {missing}")
        return {known[code]: target for code, target in locations.items()}

    def _identifier_codes(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = self.client.model("product.identifier", "read", ids, ["code"])
        return {int(row["id"]): row["code"] for row in rows}

