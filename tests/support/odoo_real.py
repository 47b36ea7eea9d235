"""A real Odoo as the ERP tests use it: connecting tillflow, reading Odoo's books back,
and doing in Odoo what its users do (receiving goods, counting, reading stock).

Several tests share one Odoo per module and version, so each keeps its documents apart
by a register code of its own (``sale:<register>-000001``).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from support.api import Api
from support.erp_day import Lines
from support.odoo_books import RECEIVABLE
from support.odoo_peer import OdooPeer
from tillflow.connectors.odoo.accounting import OdooAccounting
from tillflow.connectors.odoo.client import JSON2, OdooClient

Call = Callable[..., Any]
_registers = itertools.count(1)


def register_code(version: str) -> str:
    """A register code no other test of the session uses against that Odoo."""
    return f"O{version}N{next(_registers)}"


def secrets(peer: OdooPeer, protocol: str) -> dict[str, str]:
    """JSON-2 signs in with the API key; JSON-RPC here with the admin's password."""
    if protocol == JSON2:
        return {"username": peer.login, "api_key": peer.api_key}
    return {"username": peer.login, "password": peer.password}


def connect(api: Api, peer: OdooPeer, protocol: str, *, url: str | None = None,
            **settings: Any) -> None:
    api.ok(api.post("/connections", {
        "name": "erp", "platform": "odoo", "secrets": secrets(peer, protocol),
        "settings": {"url": url or peer.url, "database": peer.database,
                     "protocol": protocol, "poll_seconds": 0, **settings}}), 201)


def client(peer: OdooPeer, protocol: str) -> OdooClient:
    return OdooClient(url=peer.url, database=peer.database, username=peer.login,
                      secret=peer.api_key, protocol=protocol)


@contextmanager
def admin(peer: OdooPeer) -> Iterator[Call]:
    """``call(model, method, *args, **named)`` as Odoo's administrator over JSON-RPC,
    positional arguments as Odoo's own documentation passes them."""
    uid = peer.rpc("common", "authenticate", peer.database, peer.login, peer.api_key, {})

    def call(model: str, method: str, *args: Any, **named: Any) -> Any:
        return peer.rpc("object", "execute_kw", peer.database, uid, peer.api_key, model,
                        method, list(args), named)
    yield call


@contextmanager
def reader(peer: OdooPeer, protocol: str) -> Iterator[OdooAccounting]:
    """The connector's view of Odoo's books, to read them back with ``booked``."""
    ledger = OdooAccounting(client(peer, protocol))
    try:
        yield ledger
    finally:
        ledger.close()


def booked(ledger: OdooAccounting, reference: str) -> Lines:
    """What Odoo booked for a document: its entry, or its invoice and the invoice's
    payments, less the receivable lines by which the payments settle the invoice."""
    lines = ledger.moves(reference)
    settled = [(debit, credit) for code, debit, credit in lines if code == RECEIVABLE]
    assert sum(debit - credit for debit, credit in settled) == 0, f"{reference} is not settled"
    return Counter(line for line in lines if line[0] != RECEIVABLE)


def invoices(call: Call, register: str) -> list[tuple[str, str, str, str]]:
    """(ref, type, origin, payment state) of the register's customer invoices, oldest first."""
    found = call("account.move", "search_read",
                 [["move_type", "in", ["out_invoice", "out_refund"]],
                  ["ref", "like", f"%:{register}-%"]],
                 fields=["ref", "move_type", "invoice_origin", "payment_state", "state"],
                 order="id")
    return [(m["ref"], m["move_type"], m["invoice_origin"], m["payment_state"])
            for m in found if m["state"] == "posted"]


def moves_of(call: Call, register: str) -> int:
    """How many journal entries (any state) carry the register's documents."""
    return int(call("account.move", "search_count", [["ref", "like", f"%:{register}-%"]]))


def on_hand(call: Call, sku: str) -> Decimal:
    [product] = call("product.product", "search_read", [["default_code", "=", sku]],
                     fields=["qty_available"])
    return Decimal(str(product["qty_available"]))


def receive(call: Call, version: str, sku: str, quantity: int, origin: str) -> int:
    """Goods from a supplier into WH/Stock, through a receipt validated as a user would."""
    [product] = call("product.product", "search", [["default_code", "=", sku]])
    [kind] = call("stock.picking.type", "search_read", [["code", "=", "incoming"]],
                  fields=["default_location_dest_id"], limit=1)
    [supplier] = call("stock.location", "search", [["usage", "=", "supplier"]], limit=1)
    stock = kind["default_location_dest_id"][0]
    line = {"product_id": product, "product_uom_qty": quantity, "location_id": supplier,
            "location_dest_id": stock, **({"name": sku} if version == "17" else {})}
    [picking] = call("stock.picking", "create", [{
        "picking_type_id": kind["id"], "location_id": supplier, "location_dest_id": stock,
        "origin": origin, "move_ids": [[0, 0, line]]}])
    call("stock.picking", "action_confirm", [picking])
    [read] = call("stock.picking", "read", [picking], fields=["move_ids"])
    call("stock.picking", "write", [picking], {"move_ids": [
        [1, move, {"quantity": quantity, "picked": True}] for move in read["move_ids"]]})
    assert call("stock.picking", "button_validate", [picking]) is True
    return int(picking)
