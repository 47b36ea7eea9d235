"""The goods of invoiced sales and returns, moved through Tryton's shipments.

A sale's goods leave as a done customer shipment (``stock.shipment.out``) and a return's
come back as a done customer return shipment (``stock.shipment.out.return``), each with
the sale or return number as its reference, from or to the mapped storage location.
Their customer moves are linked to the invoice lines (``account_invoice_stock``), so the
invoice shows its goods and the moves their invoice. Goods the till has sold are gone:
the shipment's assignment is forced rather than waiting for Tryton's stock to agree.

Every step is one of Tryton's buttons, each its own transaction: a later attempt finds
the shipment by its reference and carries on from the state it was left in.

``settings.locations`` maps a tillflow location to a Tryton storage location code; with
no mapping, the single warehouse's storage location is used. Goods sold from a location
the mapping leaves out, and lines of products Tryton does not know, move nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.domain.accounting.entries import Document, JournalEntry
from tillflow.ports.accounting import ErpRejected, StockCount

OUT = "stock.shipment.out"
RETURN = "stock.shipment.out.return"
# Each shipment's buttons from a state to done.
STEPS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    OUT: {"draft": ("wait", "assign_force", "pick", "pack", "do"),
          "waiting": ("assign_force", "pick", "pack", "do"),
          "assigned": ("pick", "pack", "do"), "picked": ("pack", "do"), "packed": ("do",),
          "shipped": ("do",)},
    RETURN: {"draft": ("receive", "do"), "received": ("do",)},
}


@dataclass(frozen=True)
class _Warehouse:
    id: int
    storage: int
    input: int
    output: int


class TrytonStock:
    def __init__(self, client: TrytonClient, *, locations: Mapping[str, str],
                 customer: Callable[[Document], tuple[int, int, int]]) -> None:
        """``customer``: the party, address (and receivable) a document's goods go to."""
        self.client = client
        self._mapping = dict(locations)
        self._customer = customer
        self._warehouses: dict[str, _Warehouse | None] = {}
        self._customer_location: int | None = None

    def move_goods(self, entries: Sequence[JournalEntry], invoices: Mapping[str, int]) -> None:
        """Ship the goods of these invoiced documents, once each."""
        todo = {model: [e for e in entries if _model(e) == model and self._ships(e)]
                for model in (OUT, RETURN)}
        for model, batch in todo.items():
            if batch:
                self._ship(model, batch, invoices)

    def count(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        """One confirmed inventory per count: its storage location holds ``on_hand``.

        A draft left by a cut attempt (same location, day and product) is deleted first;
        a confirmed one counted again finds nothing to correct.
        """
        ids = []
        for item in counts:
            warehouse = self._warehouse(item.location)
            product = self.client.model("product.product", "search",
                                        [("code", "=", item.sku)], 0, 1, None)
            if warehouse is None or not product:
                ids.append("-")
                continue
            day = item.occurred_at.astimezone(dt.UTC).date()
            if maybe_there:
                drafts = self.client.model("stock.inventory", "search", [
                    ("state", "=", "draft"), ("location", "=", warehouse.storage),
                    ("date", "=", day), ("lines.product", "=", product[0])], 0, None, None)
                if drafts:
                    self.client.model("stock.inventory", "delete", drafts)
            [inventory] = self.client.model("stock.inventory", "create", [{
                "location": warehouse.storage, "date": day, "empty_quantity": "keep",
                "lines": [["create", [{"product": product[0],
                                       "quantity": float(item.on_hand)}]]]}])
            self.client.confirmed("stock.inventory", "confirm", [inventory])
            ids.append(f"inventory:{inventory}")
        return ids

    def _ships(self, entry: JournalEntry) -> bool:
        document = entry.source
        return (document is not None and (entry.kind == "sale" or document.restock)
                and self._warehouse(document.location) is not None)

    def _ship(self, model: str, entries: list[JournalEntry],
              invoices: Mapping[str, int]) -> None:
        numbers = {_source(e).number: e for e in entries}
        found = self.client.model(model, "search_read", [("reference", "in", list(numbers))],
                                  0, None, None, ["reference", "state"])
        states = {row["id"]: row["state"] for row in found}
        seen = {row["reference"] for row in found}
        fresh = [e for e in entries if _source(e).number not in seen]
        if fresh:
            lines = self._invoice_lines([invoices[e.reference] for e in fresh])
            values = [self._shipment(model, e, lines.get(invoices[e.reference], []))
                      for e in fresh]
            wanted = [v for v in values if v is not None]
            if wanted:
                created = self.client.model(model, "create", wanted)
                states.update(dict.fromkeys(created, "draft"))
        for button in STEPS[model]["draft"]:
            ready = [i for i, state in states.items() if button in STEPS[model].get(state, ())]
            if ready:
                # Tryton warns that the moves have no origin: the till is their origin.
                self.client.confirmed(model, button, ready)

    def _shipment(self, model: str, entry: JournalEntry,
                  lines: list[dict[str, Any]]) -> dict[str, Any] | None:
        document = _source(entry)
        warehouse = self._warehouse(document.location)
        assert warehouse is not None
        day = document.occurred_at.date()  # in the store's offset: its own day
        party, address, _receivable = self._customer(document)
        customer = self._customer_zone()
        moves = []
        # The invoice's lines in the order they were made: the goods, then any charges.
        for line, item in zip(lines[:len(document.lines)], document.lines, strict=True):
            if not line["product"]:
                continue
            move = {"product": line["product"], "unit": line["unit"],
                    "quantity": float(abs(item.quantity)), "unit_price": line["unit_price"],
                    "currency": line["invoice."]["currency"], "planned_date": day,
                    "invoice_lines": [["add", [line["id"]]]]}
            if model == OUT:
                move.update(from_location=warehouse.output, to_location=customer)
            else:
                move.update(from_location=customer, to_location=warehouse.input)
            moves.append(move)
        if not moves:
            return None
        shipment: dict[str, Any] = {
            "customer": party, "warehouse": warehouse.id, "reference": document.number,
            "planned_date": day, "effective_date": day,
            "warehouse_storage": warehouse.storage}
        if model == OUT:
            shipment.update(delivery_address=address, warehouse_output=warehouse.output,
                            outgoing_moves=[["create", moves]])
        else:
            shipment.update(warehouse_input=warehouse.input, incoming_moves=[["create", moves]])
        return shipment

    def _invoice_lines(self, invoice_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        lines = self.client.model("account.invoice.line", "search_read", [
            ("invoice", "in", invoice_ids), ("type", "=", "line")], 0, None, [("id", "ASC")],
            ["invoice", "product", "unit", "unit_price", "invoice.currency"])
        found: dict[int, list[dict[str, Any]]] = {}
        for line in lines:
            found.setdefault(line["invoice"], []).append(line)
        return found

    def _warehouse(self, location: str | None) -> _Warehouse | None:
        key = location or ""
        if key not in self._warehouses:
            self._warehouses[key] = self._find_warehouse(location)
        return self._warehouses[key]

    def _find_warehouse(self, location: str | None) -> _Warehouse | None:
        """The warehouse holding the mapped storage location (or the only warehouse)."""
        fields = ["storage_location", "input_location", "output_location"]
        warehouses = self.client.model("stock.location", "search_read",
                                       [("type", "=", "warehouse")], 0, None, None, fields)
        if not self._mapping:
            if len(warehouses) != 1:
                raise ErpRejected("map tillflow locations to Tryton ones in settings.locations")
            storage = warehouses[0]["storage_location"]
        else:
            code = self._mapping.get(location or "")
            if code is None:
                return None
            found = self.client.model("stock.location", "search", [("code", "=", code)],
                                      0, 2, None)
            if len(found) != 1:
                raise ErpRejected(f"Tryton has no single stock location with code {code!r}")
            storage = found[0]
        for warehouse in warehouses:
            parents = self.client.model("stock.location", "search", [
                ("id", "=", storage), ("parent", "child_of", [warehouse["id"]])], 0, 1, None)
            if parents:
                return _Warehouse(int(warehouse["id"]), int(storage),
                                  int(warehouse["input_location"]),
                                  int(warehouse["output_location"]))
        raise ErpRejected(f"Tryton's location {storage} is in no warehouse")

    def _customer_zone(self) -> int:
        if self._customer_location is None:
            found = self.client.model("stock.location", "search",
                                      [("type", "=", "customer")], 0, 1, [("id", "ASC")])
            if not found:
                raise ErpRejected("Tryton has no customer location")
            self._customer_location = int(found[0])
        return self._customer_location


def _model(entry: JournalEntry) -> str:
    return RETURN if entry.kind == "return" else OUT


def _source(entry: JournalEntry) -> Document:
    assert entry.source is not None
    return entry.source

