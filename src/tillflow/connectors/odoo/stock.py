"""Counts and adjustments sent to Odoo as inventory-mode quants.

Each count is a ``stock.quant`` created with ``inventory_quantity`` (Odoo's inventory
mode: the existing quant of that product and location takes the count) and applied with
``action_apply_inventory``, so Odoo's quantity becomes tillflow's on-hand figure; sending
it again finds nothing to correct. ``settings.locations`` maps a tillflow location to an
Odoo location's full name (``WH/Stock``); with no mapping, the warehouse's stock location.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tillflow.connectors.odoo.client import OdooClient
from tillflow.ports.accounting import ErpRejected, StockCount

NOTHING = "-"


class OdooStock:
    def __init__(self, client: OdooClient, *, locations: Mapping[str, str]) -> None:
        self.client = client
        self._mapping = dict(locations)
        self._locations: dict[str, int | None] = {}

    def count(self, counts: Sequence[StockCount]) -> list[str]:
        products = self.product_ids({count.sku for count in counts})
        done = []
        for count in counts:
            location = self.location_id(count.location)
            if location is None or count.sku not in products:
                done.append(NOTHING)
                continue
            [quant] = self.client.call("stock.quant", "create", vals_list=[{
                "product_id": products[count.sku], "location_id": location,
                "inventory_quantity": float(count.on_hand)}])
            self.client.call("stock.quant", "action_apply_inventory", ids=[quant])
            done.append(f"quant:{quant}")
        return done

    def product_ids(self, skus: set[str]) -> dict[str, int]:
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "in", sorted(skus)]],
                                 fields=["default_code"])
        return {p["default_code"]: int(p["id"]) for p in found}

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
