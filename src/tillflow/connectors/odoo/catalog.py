"""Products and goods receipts in Odoo: push and pull products, pull received goods.

A tillflow SKU is the product's ``default_code``, its first barcode the ``barcode``, its
price the ``list_price`` and its tax rate the Odoo sale tax of that rate; ``standard_price``
comes back as the unit cost. A product tillflow creates is one whose stock Odoo tracks,
written as the server's version wants it (``books.storable_values``); an update leaves
the product's type as Odoo has it. Goods received are the done stock moves from a
supplier location into a mapped location (named by its full name, ``WH/Stock``).
A product with options is one template whose variants carry its SKUs (``variants``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow.connectors.common.erp_money import read_amount, wire_amount, wire_decimal
from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.odoo.stock import OdooStock
from tillflow.connectors.odoo.variants import OdooVariants
from tillflow.ports.accounting import ErpProduct, ErpProductWithVariants, ErpReceipt

FIELDS = ["default_code", "name", "list_price", "standard_price", "barcode"]


class OdooCatalog:
    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self.books = OdooBooks(client)
        self.stock = OdooStock(client, books=self.books, locations={})

    def close(self) -> None:
        self.client.close()

    def products(self) -> list[ErpProduct]:
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "!=", False]], fields=FIELDS)
        digits = self.books.digits
        # A cost is kept at Odoo's price precision (it may hold more digits than money).
        return [ErpProduct(sku=p["default_code"], name=p["name"],
                           price=read_amount(p["list_price"], digits),
                           cost=read_amount(p["standard_price"], self.books.price_digits)
                           if p["standard_price"] else None,
                           barcodes=(p["barcode"],) if p["barcode"] else ())
                for p in found if p["default_code"]]

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> int:
        """Create the product, or bring the one Odoo has up to date; returns its id.

        Archived products are looked for too (Odoo's searches skip them unless the domain
        names ``active``), so a deactivated product is brought back rather than made
        twice. Odoo keeps one barcode per product: the first one, or none.
        """
        values: dict[str, Any] = {"name": name,
                                  "list_price": wire_amount(price, self.books.digits),
                                  "barcode": barcodes[0] if barcodes else False,
                                  "active": active}
        if tax_rate is not None:
            values["taxes_id"] = [[6, 0, self.books.sale_tax(tax_rate)]]
        if cost is not None:
            # Odoo keeps a cost per company, rounded to its price precision.
            values["standard_price"] = wire_decimal(cost, self.books.price_digits)
        found = self.client.call("product.product", "search_read", limit=1, domain=[
            ["default_code", "=", sku], ["active", "in", [True, False]]],
            fields=["product_tmpl_id", "active"])
        if found:
            self.client.call("product.product", "write", ids=[found[0]["id"]], vals=values)
            if found[0]["active"] != active:
                self._archive(found[0]["product_tmpl_id"][0], active=active)
            return int(found[0]["id"])
        [created] = self.client.call("product.product", "create", vals_list=[
            {**values, "default_code": sku, **self.books.storable_values()}])
        if not active:
            [made] = self.client.call("product.product", "read", ids=[created],
                                      fields=["product_tmpl_id"])
            self._archive(made["product_tmpl_id"][0], active=False)
        return int(created)

    def upsert_variants(self, product: ErpProductWithVariants) -> dict[str, int]:
        """``product`` as one template with attributes (``variants``); safe to repeat."""
        return OdooVariants(self.client, self.books).upsert(product)

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
            fields=["product_id", self.books.move_quantity(), "location_dest_id", "reference"])
        codes = {p["id"]: p["default_code"] for p in self.client.call(
            "product.product", "read", ids=sorted({m["product_id"][0] for m in moves}),
            fields=["default_code"])} if moves else {}
        return [ErpReceipt(external_id=str(m["id"]), sku=codes[m["product_id"][0]],
                           location=targets[m["location_dest_id"][0]],
                           quantity=Decimal(str(m[self.books.move_quantity()])),
                           shipment=m["reference"])
                for m in sorted(moves, key=lambda m: m["id"]) if codes[m["product_id"][0]]]

    def storage_location(self) -> str:
        return self.stock.storage_name()
