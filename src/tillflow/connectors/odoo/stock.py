"""Counts and adjustments sent to Odoo as inventory-mode quants.

Each count is a ``stock.quant`` created with ``inventory_quantity`` in Odoo's inventory
mode (the ``inventory_mode`` context): Odoo then writes the count on the existing quant of
that product and location, and ``action_apply_inventory`` sets its quantity to it, so
Odoo's quantity becomes tillflow's on-hand figure and sending it again finds nothing to
correct. Without that context Odoo creates a second quant and applying it adds the count
to what was there (50 then 45 would show 95).

Applying answers a *conflict* wizard (``stock.inventory.conflict``) when the quant's
quantity moved between the count and its application (a delivery validated meanwhile):
the wizard's *keep counted quantity* sets it to the count, which is what tillflow's count
says is on the shelf now. Odoo keeps quants only for products whose stock it tracks
(``books.is_storable``): a count of any other product has nothing to record (``-``).
``settings.locations`` maps a tillflow location to an Odoo location's full name
(``WH/Stock``); with no mapping, the warehouse's stock location.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import OdooClient
from tillflow.ports.accounting import ErpRejected, StockCount

NOTHING = "-"
INVENTORY_MODE = {"inventory_mode": True}
CONFLICT = "stock.inventory.conflict"


class OdooStock:
    def __init__(self, client: OdooClient, *, books: OdooBooks,
                 locations: Mapping[str, str]) -> None:
        self.client = client
        self.books = books
        self._mapping = dict(locations)
        self._locations: dict[str, int | None] = {}

    def count(self, counts: Sequence[StockCount]) -> list[str]:
        products = self.storable_ids({count.sku for count in counts})
        done = []
        for count in counts:
            location = self.location_id(count.location)
            if location is None or count.sku not in products:
                done.append(NOTHING)
                continue
            [quant] = self.client.call("stock.quant", "create", vals_list=[{
                "product_id": products[count.sku], "location_id": location,
                "inventory_quantity": float(count.on_hand)}], context=INVENTORY_MODE)
            self._apply(quant)
            done.append(f"quant:{quant}")
        return done

    def _apply(self, quant: int) -> None:
        answer = self.client.call("stock.quant", "action_apply_inventory", ids=[quant],
                                  context=INVENTORY_MODE)
        if not isinstance(answer, dict) or not answer.get("res_model"):
            return
        if answer["res_model"] != CONFLICT:
            raise ErpRejected(f"Odoo asks {answer.get('name') or answer['res_model']!r} "
                              f"before applying a count (quant {quant})")
        [wizard] = self.client.call(CONFLICT, "create", vals_list=[_wizard(answer)],
                                    context=INVENTORY_MODE)
        self.client.call(CONFLICT, "action_keep_counted_quantity", ids=[wizard],
                         context=INVENTORY_MODE)

    def storable_ids(self, skus: set[str]) -> dict[str, int]:
        """Odoo's ids of the products with these SKUs whose stock it tracks."""
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "in", sorted(skus)]],
                                 fields=["default_code", *self.books.storable_fields()])
        return {p["default_code"]: int(p["id"]) for p in found if self.books.is_storable(p)}

    def location_id(self, location: str) -> int | None:
        """The Odoo location of a tillflow one; None for a location the mapping omits."""
        if location not in self._locations:
            if self._mapping:
                name = self._mapping.get(location)
                self._locations[location] = None if name is None else self.named(name)
            else:
                self._locations[location] = self.named(self.storage_name())
        return self._locations[location]

    def named(self, name: str) -> int:
        found = self.client.call("stock.location", "search",
                                 domain=[["complete_name", "=", name]], limit=2)
        if len(found) != 1:
            raise ErpRejected(f"Odoo has no single stock location named {name!r}")
        return int(found[0])

    def storage_name(self) -> str:
        warehouses = self.client.call("stock.warehouse", "search_read", domain=[],
                                      fields=["lot_stock_id"], limit=2)
        if len(warehouses) != 1:
            raise ErpRejected("map tillflow locations to Odoo ones in settings.locations")
        return str(warehouses[0]["lot_stock_id"][1])


def _wizard(action: dict[str, Any]) -> dict[str, Any]:
    """The conflict wizard's values from the defaults its action carries."""
    context = action.get("context") or {}
    return {"quant_ids": [[6, 0, list(context.get("default_quant_ids") or [])]],
            "quant_to_fix_ids": [[6, 0, list(context.get("default_quant_to_fix_ids") or [])]]}
