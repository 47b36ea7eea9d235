"""Invoices and credit notes: contacts, numbers, lines, totals, and the status rules.

A document is created ``DRAFT``, ``SUBMITTED`` or ``AUTHORISED``; an approved one must
have an account on every line and be dated after the lock dates. A ``DRAFT`` or
``SUBMITTED`` one may be ``DELETED``, an ``AUTHORISED`` one without payments or credits
``VOIDED``; a ``PAID``, ``VOIDED`` or ``DELETED`` one is no longer modified. What is
still owed (``AmountDue`` / ``RemainingCredit``) falls with payments and allocations, and
reaching zero makes the document ``PAID``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow_simulators.xero import contacts
from tillflow_simulators.xero.batch import Invalid
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.lines import Priced, price_lines
from tillflow_simulators.xero.values import BadValue, parse_date

APPROVED = ("SUBMITTED", "AUTHORISED")
FINAL = ("PAID", "VOIDED", "DELETED")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DocType:
    plural: str  # "Invoices"
    id_field: str  # "InvoiceID"
    number_field: str  # "InvoiceNumber"
    number_prefix: str  # "INV-"
    types: tuple[str, ...]  # the Type values modelled
    category: str  # webhook category: "INVOICE"
    owed_field: str  # "AmountDue" or "RemainingCredit"
    noun: str  # "Invoice" / "Credit Note", as Xero words its refusals

    def unmodifiable(self) -> str:
        return f"{self.noun} not of valid status for modification"


def resolve_contact(books: Books, ref: dict[str, Any] | None,
                    errors: list[str]) -> dict[str, Any] | None:
    """The contact an element names: by id, by number, or by name (made when new)."""
    if not ref:
        errors.append("A Contact must be specified for this type of transaction")
        return None
    found = contacts.match(books, ref)
    if found is None and ("ContactID" in ref or "ContactNumber" in ref):
        errors.append("The contact could not be found")
        return None
    if found is None and ref.get("Name"):
        wanted = ref["Name"].strip().lower()
        found = next((c for c in books.table("Contacts").values()
                      if c["Name"].strip().lower() == wanted and
                      c["ContactStatus"] == "ACTIVE"), None)
        if found is None:
            return {"Name": ref["Name"].strip()}  # made once the document is accepted
    if found is None:
        errors.append("A Contact must be specified for this type of transaction")
        return None
    if found["ContactStatus"] == "ARCHIVED":
        errors.append("The contact has been archived")
    return found


def _dates(books: Books, element: dict[str, Any], existing: Record | None,
           errors: list[str]) -> tuple[Any, Any]:
    try:
        when = parse_date(element["Date"], "Date") if "Date" in element else (
            existing["Date"] if existing else books.today())
        due = parse_date(element["DueDate"], "DueDate") if "DueDate" in element else (
            existing.get("DueDate", when) if existing else when)
    except BadValue as exc:
        errors.append(str(exc))
        return books.today(), books.today()
    return when, due


def current(element: dict[str, Any], existing: Record | None, name: str, default: Any) -> Any:
    """What an element says of ``name``, else what the record holds, else ``default``."""
    if name in element:
        return element[name]
    return existing[name] if existing is not None and name in existing else default


def _status(doc: DocType, element: dict[str, Any], existing: Record | None,
            errors: list[str]) -> str:
    status = str(current(element, existing, "Status", "DRAFT"))
    if existing is None:
        if status not in ("DRAFT", *APPROVED):
            errors.append(f"{doc.noun} not of valid status for creation")
        return status
    if not _may_change(doc, existing, status, element):
        errors.append(doc.unmodifiable())
    return status


def _may_change(doc: DocType, existing: Record, status: str, element: dict[str, Any]) -> bool:
    current = existing["Status"]
    settled = _settled(doc, existing)
    if current in FINAL or status == "PAID":
        return False
    if status == "DELETED":
        return current in ("DRAFT", "SUBMITTED")
    if status == "VOIDED":
        return current == "AUTHORISED" and not settled
    if current == "AUTHORISED":
        return status != "DRAFT" and not (settled and "LineItems" in element)
    return True


def _settled(doc: DocType, record: Record) -> bool:
    return bool(record[doc.owed_field] != record["Total"])


def _number(doc: DocType, books: Books, element: dict[str, Any], *, existing: Record | None,
            type_: str, errors: list[str]) -> str | None:
    number: str | None = element.get(doc.number_field) or (
        existing.get(doc.number_field) if existing else None)
    sales = type_ in ("ACCREC", "ACCRECCREDIT")
    if number is None and sales:
        number = books.next_number(doc.number_prefix)
    if number and sales and any(
            d.get(doc.number_field) == number and d["Type"] == type_
            and d[doc.id_field] != (existing or {}).get(doc.id_field)
            for d in books.table(doc.plural).values()):
        errors.append(f"{'Invoice' if doc.plural == 'Invoices' else 'Credit Note'} # must be "
                      "unique.")
    return number


def build(doc: DocType, call: Call, element: dict[str, Any], existing: Record | None) -> Record:
    """Check an element against the books and, when nothing is wrong, write it."""
    books, errors = call.books, []
    type_ = str(current(element, existing, "Type", ""))
    if type_ not in doc.types:
        errors.append(f"{doc.noun} Type must be one of {', '.join(doc.types)}")
    status = _status(doc, element, existing, errors)
    contact = resolve_contact(books, element.get("Contact") or (
        existing["Contact"] if existing else None), errors)
    when, due = _dates(books, element, existing, errors)
    currency = str(element.get("CurrencyCode") or books.settings.base_currency)
    if currency != books.settings.base_currency:
        errors.append(f"Currency code {currency} is not used by this organisation")
    amount_types = str(current(element, existing, "LineAmountTypes", "Exclusive"))
    raw_lines: list[dict[str, Any]] = current(element, existing, "LineItems", [])
    priced = price_lines(books, raw_lines, amount_types=amount_types, unitdp=call.unitdp,
                         account_required=status in APPROVED)
    errors.extend(priced.errors)
    if status in APPROVED and not priced.lines:
        errors.append(f"At least one line item is required to approve a {doc.noun.lower()}")
    for moment in ({when, existing["Date"]} if existing else {when}):
        refusal = books.lock_date_refusal(moment) if status != "DRAFT" or existing else None
        if refusal:
            errors.append(refusal)
    number = _number(doc, books, element, existing=existing, type_=type_, errors=errors)
    if errors:
        raise Invalid(*dict.fromkeys(errors))
    assert contact is not None
    return _write(doc, call, element, existing, _Fields(
        type_, status, contact, when, due, currency, amount_types, priced, number))


@dataclass(frozen=True)
class _Fields:
    type_: str
    status: str
    contact: dict[str, Any]
    when: Any
    due: Any
    currency: str
    amount_types: str
    priced: Priced
    number: str | None


def _write(doc: DocType, call: Call, element: dict[str, Any], existing: Record | None,
           fields: _Fields) -> Record:
    books = call.books
    contact = fields.contact
    if "ContactID" not in contact:
        contact = contacts.add(books, {"Name": contact["Name"]})
    if fields.type_ in ("ACCREC", "ACCRECCREDIT") and not contact.get("IsCustomer"):
        contact["IsCustomer"] = True
    record: Record = existing if existing is not None else _fresh(doc, books)
    paid = record["Total"] - record[doc.owed_field] if existing else ZERO
    record.update({
        "Type": fields.type_, "Status": fields.status, "Date": fields.when,
        "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
        "LineAmountTypes": fields.amount_types, "LineItems": fields.priced.lines,
        "SubTotal": fields.priced.sub_total, "TotalTax": fields.priced.total_tax,
        "Total": fields.priced.total, "CurrencyCode": fields.currency,
        doc.owed_field: fields.priced.total - paid})
    if doc.plural == "Invoices":
        record["DueDate"] = fields.due
    if fields.number:
        record[doc.number_field] = fields.number
    for text in ("Reference", "BrandingThemeID", "Url", "SentToContact"):
        if text in element:
            record[text] = element[text]
    if existing is None:
        books.insert(doc.plural, doc.id_field, record)
    else:
        books.touch(record)
    books.announce(doc.category, "UPDATE" if existing else "CREATE", record[doc.id_field],
                   _event_data(doc, record))
    return record


def _fresh(doc: DocType, books: Books) -> Record:
    record: Record = {"CurrencyRate": Decimal("1.000000"), "HasAttachments": False,
                      "HasErrors": False, "Payments": [], "Reference": ""}
    if doc.plural == "Invoices":
        record.update(AmountPaid=ZERO, AmountCredited=ZERO, IsDiscounted=False,
                      SentToContact=False, CreditNotes=[], Prepayments=[], Overpayments=[])
    else:
        record.update(Allocations=[], AppliedAmount=ZERO, SentToContact=False)
    return record


def _event_data(doc: DocType, record: Record) -> dict[str, str] | None:
    if doc.category != "CREDITNOTE":
        return None
    return {"Type": record["Type"], "Status": record["Status"]}


def settle(doc: DocType, books: Books, record: Record, amount: Decimal, when: Any) -> None:
    """Lower what is owed by ``amount`` (negative to give it back), PAID at zero."""
    record[doc.owed_field] -= amount
    if record[doc.owed_field] == ZERO and record["Total"] != ZERO:
        record["Status"] = "PAID"
        if doc.plural == "Invoices":
            record["FullyPaidOnDate"] = when
    elif record["Status"] == "PAID":
        record["Status"] = "AUTHORISED"
        record.pop("FullyPaidOnDate", None)
    books.touch(record)
    books.announce(doc.category, "UPDATE", record[doc.id_field], _event_data(doc, record))
