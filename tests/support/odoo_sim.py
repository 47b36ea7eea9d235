"""The Odoo simulator as the ERP tests use it: connecting, reading Odoo's books back."""

from __future__ import annotations

from collections import Counter

from support.api import Api
from support.erp_day import Lines
from support.odoo_books import RECEIVABLE
from tillflow.connectors.odoo.accounting import OdooAccounting
from tillflow.connectors.odoo.client import OdooClient
from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    DEFAULT_PASSWORD,
    OdooSimulator,
)


def connect(api: Api, odoo: OdooSimulator, protocol: str, *, posting: str,
            sales: str = "invoice") -> None:
    secrets = ({"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY} if protocol == "json2"
               else {"username": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD})
    api.ok(api.post("/connections", {
        "name": "erp", "platform": "odoo",
        "settings": {"url": odoo.url, "database": DEFAULT_DATABASE, "protocol": protocol,
                     "posting": posting, "sales": sales},
        "secrets": secrets}), 201)


def odoo_lines(odoo: OdooSimulator, protocol: str, reference: str) -> Lines:
    """What Odoo booked for a document: its entry, or its invoice and the invoice's
    payments, less the receivable lines by which the payments settle the invoice."""
    ledger = OdooAccounting(OdooClient(url=odoo.url, database=DEFAULT_DATABASE,
                                   username=DEFAULT_LOGIN, secret=DEFAULT_API_KEY,
                                   protocol=protocol))
    try:
        lines = ledger.moves(reference)
    finally:
        ledger.close()
    settled = [(debit, credit) for code, debit, credit in lines if code == RECEIVABLE]
    assert sum(debit - credit for debit, credit in settled) == 0
    return Counter(line for line in lines if line[0] != RECEIVABLE)


def posted_refs(odoo: OdooSimulator) -> list[str]:
    """The refs of Odoo's posted invoices and entries (not payments), oldest first."""
    moves = sorted(odoo.db.table("account.move").values(), key=lambda m: m["id"])
    return [m["ref"] for m in moves if m["state"] == "posted" and " payment " not in m["ref"]]


def invoices(odoo: OdooSimulator) -> list[tuple[str, str, str, str]]:
    """(ref, type, sale or return number, payment state) of the customer invoices."""
    moves = sorted(odoo.db.table("account.move").values(), key=lambda m: m["id"])
    return [(m["ref"], m["move_type"], m["invoice_origin"], m["payment_state"])
            for m in moves if m["move_type"] != "entry"]
