"""What the web-order tests read back: a shop order's sale, its returns, what the journal
booked for a document, the connection's dead letters, and the rows that prove nothing
was written."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of

# The tables a web order writes to when it is recorded; a refused one touches none.
RECORDED = ("sales", "sale_lines", "sale_payments", "sale_charges", "stock_movements",
            "customers", "returns", "journal_entries")


def sale_of(api: Api, channel: str, external_id: str) -> dict[str, Any] | None:
    found = [s for s in _all(api, "/sales", channel=channel)
             if s["external_id"] == external_id]
    return found[0] if found else None


def returns_of(api: Api, sale_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.ok(api.get(f"/sales/{sale_id}/returns"))["items"]
    return items


def booked(api: Api, reference: str) -> dict[str, Decimal]:
    """Per role, debits less credits of the journal entries whose reference starts with
    ``reference``."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in api.ok(api.get("/journal"))["entries"]:
        if entry["reference"].startswith(reference):
            for line in entry["lines"]:
                totals[line["role"]] += Decimal(line["debit"]) - Decimal(line["credit"])
    return {role: amount for role, amount in totals.items() if amount}


def by_base_role(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """``revenue:0.08`` and ``revenue:0`` as ``revenue``: the figures the shop reports."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for role, amount in amounts.items():
        base = role.split(":", 1)[0]
        totals[role if base == "tender" else base] += amount
    return {role: amount for role, amount in totals.items() if amount}


def dead_letters(api: Api, connection: str) -> list[dict[str, Any]]:
    """Every dead letter, following the cursor two at a time."""
    return _all(api, f"/connections/{connection}/dead-letters", limit=2)


def dead_letter_for(api: Api, connection: str, external_id: str) -> dict[str, Any] | None:
    found = [d for d in dead_letters(api, connection) if d["external_id"] == external_id]
    return found[0] if found else None


def recorded_rows(api: Api, *, customers: bool = True) -> dict[str, int]:
    """Rows of the tables a recorded order writes to; without ``customers`` where the shop
    announces its customers on their own (they arrive whatever becomes of the order)."""
    counts = row_counts(engine_of(api.ctx.store))
    return {table: counts[table] for table in RECORDED
            if customers or table != "customers"}


def _all(api: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = api.ok(api.get(path, **params, **({"cursor": cursor} if cursor else {})))
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
