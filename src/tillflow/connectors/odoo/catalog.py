"""Products and goods receipts in Odoo: push and pull products, pull received goods.

A tillflow SKU is the product's ``default_code``, its first barcode the ``barcode``, its
price the ``list_price`` and its tax rate the Odoo sale tax of that rate; ``standard_price``
comes back as the unit cost. Goods received are the done stock moves from a supplier
location into a mapped location (named by its full name, ``WH/Stock``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.odoo.stock import OdooStock
from tillflow.ports.accounting import ErpProduct, ErpReceipt, ErpRejected

CENT = Decimal("0.01")
FIELDS = ["default_code", "name", "list_price", "standard_price", "barcode"]


class OdooCatalog:
    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self.stock = OdooStock(client, locations={})

    def close(self) -> None:
        self.client.close()

    def products(self) -> list[ErpProduct]:
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "!=", False]], fields=FIELDS)
        return [ErpProduct(sku=p["default_code"], name=p["name"],
                           price=Decimal(str(p["list_price"])).quantize(CENT),
                           cost=Decimal(str(p["standard_price"])).quantize(CENT)
                           if p["standard_price"] else None,
                           barcodes=(p["barcode"],) if p["barcode"] else ())
                for p in found if p["default_code"]]

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True) -> int:
        """Create the product, or bring the one Odoo has up to date; returns its id.

        Archived products are looked for too (Odoo's searches skip them unless the domain
        names ``active``), so a deactivated product is brought back rather than made
        twice. Odoo keeps one barcode per product: the first one, or none.
        """
        values: dict[str, Any] = {"name": name, "list_price": float(price),
                                  "barcode": barcodes[0] if barcodes else False,
                                  "active": active}
        if tax_rate is not None:
            values["taxes_id"] = [[6, 0, self._taxes(tax_rate)]]
        found = self.client.call("product.product", "search_read", limit=1, domain=[
            ["default_code", "=", sku], ["active", "in", [True, False]]],
            fields=["product_tmpl_id", "active"])
        if found:
            self.client.call("product.product", "write", ids=[found[0]["id"]], vals=values)
            if found[0]["active"] != active:
                self._archive(found[0]["product_tmpl_id"][0], active=active)
            return int(found[0]["id"])
        [created] = self.client.call("product.product", "create", vals_list=[
            {**values, "default_code": sku, "type": "consu", "is_storable": True}])
        if not active:
            [made] = self.client.call("product.product", "read", ids=[created],
                                      fields=["product_tmpl_id"])
            self._archive(made["product_tmpl_id"][0], active=False)
        return int(created)

    def _archive(self, template: int, *, active: bool) -> None:
        """Archive (or bring back) the product's template as well: Odoo lists and sells
        products by template, and a variant's own flag does not reach it."""
        self.client.call("product.template", "write", ids=[template], vals={"active": active})

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        """Done moves from suppliers into the mapped locations, after move ``after``."""
        targets = {self.stock.named(name): code for name, code in locations.items()}
        suppliers = self.client.call("stock.location", "search",
                                     domain=[["usage", "=", "supplier"]])
        moves = self.client.call("stock.move", "search_read", domain=[
            ["id", ">", after], ["state", "=", "done"], ["location_id", "in", suppliers],
            ["location_dest_id", "in", list(targets)]],
            fields=["product_id", "quantity", "location_dest_id", "reference"])
        codes = {p["id"]: p["default_code"] for p in self.client.call(
            "product.product", "read", ids=sorted({m["product_id"][0] for m in moves}),
            fields=["default_code"])} if moves else {}
        return [ErpReceipt(external_id=str(m["id"]), sku=codes[m["product_id"][0]],
                           location=targets[m["location_dest_id"][0]],
                           quantity=Decimal(str(m["quantity"])), shipment=m["reference"])
                for m in sorted(moves, key=lambda m: m["id"]) if codes[m["product_id"][0]]]

    def storage_location(self) -> str:
        return self.stock.storage_name()

    def _taxes(self, rate: Decimal) -> list[int]:
        if not rate:
            return []
        found = self.client.call("account.tax", "search", domain=[
            ["amount", "=", float(rate * 100)], ["type_tax_use", "=", "sale"]], limit=2)
        if len(found) != 1:
            raise ErpRejected(f"Odoo has {'several' if found else 'no'} sale taxes of "
                              f"{rate * 100} %")
        return [int(found[0])]
