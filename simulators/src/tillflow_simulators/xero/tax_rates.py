"""Tax rates: listed, created (a new ``TAX00n`` type) and updated by ``TaxType`` or name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.listing import list_records
from tillflow_simulators.xero.routes import Answer, Routes, elements
from tillflow_simulators.xero.seed import TaxRateSpec, add_tax_rate


def _rate(element: dict[str, Any]) -> Decimal:
    return sum((Decimal(str(c.get("Rate", 0))) for c in element.get("TaxComponents", [])),
               Decimal(0))


def create(call: Call, element: dict[str, Any]) -> Record:
    name = element.get("Name")
    if not name:
        raise Invalid("Name is a required field")
    if not element.get("TaxComponents"):
        raise Invalid("At least one tax component is required")
    if any(r["Name"].lower() == name.lower() for r in call.books.table("TaxRates").values()):
        raise Invalid(f"The tax rate name '{name}' is already in use")
    existing = {t for t in call.books.table("TaxRates") if t.startswith("TAX")}
    tax_type = next(f"TAX{n:03d}" for n in range(1, 1000) if f"TAX{n:03d}" not in existing)
    add_tax_rate(call.books, TaxRateSpec(tax_type, name, _rate(element),
                                         element.get("ReportTaxType", "OUTPUT")))
    record = call.books.table("TaxRates")[tax_type]
    record["TaxComponents"] = element["TaxComponents"]
    return record


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    for field in ("Name", "Status", "ReportTaxType", "TaxComponents"):
        if field in element:
            existing[field] = element[field]
    rate = sum((Decimal(str(c["Rate"])) for c in existing["TaxComponents"]), Decimal(0))
    existing["DisplayTaxRate"] = existing["EffectiveRate"] = rate
    return existing


def match(books: Books, element: dict[str, Any]) -> Record | None:
    if "TaxType" in element:
        return books.table("TaxRates").get(element["TaxType"])
    return next((r for r in books.table("TaxRates").values()
                 if r["Name"].lower() == str(element.get("Name", "")).lower()), None)


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("TaxRates", "TaxRate", "TaxType", create, update, render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "TaxRates"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "TaxRates"), mode="upsert")


ROUTES: Routes = {("get", "/TaxRates"): _list, ("put", "/TaxRates"): _put,
                  ("post", "/TaxRates"): _post}
