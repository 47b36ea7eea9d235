"""Journal entries as JSON (queued postings, API responses): money as decimal strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tillflow.domain.accounting.entries import (
    Buyer,
    Document,
    JournalEntry,
    JournalLine,
    TaxedCharge,
    TaxedLine,
    Tender,
)
from tillflow.domain.money import Currency
from tillflow.ports.accounting import StockCount

STOCK_COUNT = "stock_count"
PRODUCT = "product"


@dataclass(frozen=True)
class ProductChange:
    """A product changed in tillflow, for an ERP whose catalog tillflow masters. It names
    the SKU, or the product with options (``product_id``) when the product itself changed;
    it goes out as tillflow has it when the posting is sent."""

    reference: str
    sku: str | None = None
    product_id: int | None = None


def entry_json(entry: JournalEntry, currency: Currency) -> dict[str, Any]:
    data: dict[str, Any] = {
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
    if entry.source is not None:
        data["source"] = _document_json(entry.source)
    if entry.party is not None:
        data["party"] = _buyer_json(entry.party)
    return data


def _buyer_json(buyer: Buyer) -> dict[str, Any]:
    return {"id": buyer.id, "name": buyer.name, "email": buyer.email}


def _document_json(document: Document) -> dict[str, Any]:
    return {
        "number": document.number,
        "occurred_at": document.occurred_at.isoformat(),
        "lines": [{"sku": x.sku, "quantity": str(x.quantity), "tax_rate": str(x.tax_rate),
                   "net": str(x.net), "tax": str(x.tax)} for x in document.lines],
        "tenders": [{"method": t.method, "amount": str(t.amount)} for t in document.tenders],
        "change_due": str(document.change_due),
        "shift_id": document.shift_id,
        "restock": document.restock,
        "location": document.location,
        "customer": None if document.customer is None else _buyer_json(document.customer),
        "charges": [{"kind": c.kind, "tax_rate": str(c.tax_rate), "net": str(c.net),
                     "tax": str(c.tax)} for c in document.charges],
    }


def entry_from_json(data: dict[str, Any]) -> JournalEntry:
    source = data.get("source")
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
        source=None if source is None else _document_from_json(source),
        party=Buyer(**data["party"]) if data.get("party") else None,
    )


def _document_from_json(data: dict[str, Any]) -> Document:
    return Document(
        number=data["number"],
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        lines=tuple(TaxedLine(sku=x["sku"], quantity=Decimal(x["quantity"]),
                              tax_rate=Decimal(x["tax_rate"]), net=Decimal(x["net"]),
                              tax=Decimal(x["tax"])) for x in data["lines"]),
        tenders=tuple(Tender(t["method"], Decimal(t["amount"])) for t in data["tenders"]),
        change_due=Decimal(data["change_due"]),
        shift_id=data.get("shift_id"),
        restock=bool(data["restock"]),
        location=data.get("location"),
        customer=None if not data.get("customer") else Buyer(**data["customer"]),
        charges=tuple(TaxedCharge(kind=c["kind"], tax_rate=Decimal(c["tax_rate"]),
                                  net=Decimal(c["net"]), tax=Decimal(c["tax"]))
                      for c in data.get("charges", ())),
    )


def count_json(count: StockCount) -> dict[str, Any]:
    return {"type": STOCK_COUNT, "reference": count.reference, "sku": count.sku,
            "location": count.location, "on_hand": str(count.on_hand),
            "occurred_at": count.occurred_at.isoformat()}


def product_json(change: ProductChange) -> dict[str, Any]:
    data: dict[str, Any] = {"type": PRODUCT, "reference": change.reference}
    if change.sku is not None:
        data["sku"] = change.sku
    if change.product_id is not None:
        data["product_id"] = change.product_id
    return data


def posting_from_json(data: dict[str, Any]) -> JournalEntry | StockCount | ProductChange:
    """A queued posting: a journal entry, a stock count or a product change."""
    if data.get("type") == PRODUCT:
        return ProductChange(reference=data["reference"], sku=data.get("sku"),
                             product_id=data.get("product_id"))
    if data.get("type") == STOCK_COUNT:
        return StockCount(reference=data["reference"], sku=data["sku"],
                          location=data["location"], on_hand=Decimal(data["on_hand"]),
                          occurred_at=datetime.fromisoformat(data["occurred_at"]))
    return entry_from_json(data)
