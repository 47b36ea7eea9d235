"""Journal entries as JSON (queued postings, API responses): money as decimal strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from tillflow.domain.money import Currency
from tillflow.ledger.entries import JournalEntry, JournalLine


def entry_json(entry: JournalEntry, currency: Currency) -> dict[str, Any]:
    return {
        "reference": entry.reference,
        "kind": entry.kind,
        "document_number": entry.document_number,
        "description": entry.description,
        "occurred_at": entry.occurred_at.isoformat(),
        "shift_id": entry.shift_id,
        "lines": [
            {"role": item.role, "account": item.account,
             "debit": currency.format(item.debit), "credit": currency.format(item.credit)}
            for item in entry.lines
        ],
    }


def entry_from_json(data: dict[str, Any]) -> JournalEntry:
    return JournalEntry(
        reference=data["reference"],
        kind=data["kind"],
        document_number=data["document_number"],
        description=data["description"],
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        shift_id=data.get("shift_id"),
        lines=tuple(
            JournalLine(item["role"], item["account"], debit=Decimal(item["debit"]),
                        credit=Decimal(item["credit"]))
            for item in data["lines"]
        ),
    )
