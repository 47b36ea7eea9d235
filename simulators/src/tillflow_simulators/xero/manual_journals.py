"""Manual journals: signed line amounts (debits positive, credits negative) that must add
up to zero before the journal is ``POSTED``; a posted journal can only be ``VOIDED``. No
line may post to a bank account (Xero's help, "Manually adjust a bank account balance")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.lines import tax_rate_percent
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import Answer, Routes, elements
from tillflow_simulators.xero.values import BadValue, money, parse_date

ZERO = Decimal("0.00")
NEXT_STATUSES = {None: ("DRAFT", "POSTED"), "DRAFT": ("DRAFT", "POSTED", "DELETED"),
                 "POSTED": ("POSTED", "VOIDED")}


def _lines(books: Books, raw_lines: list[dict[str, Any]], errors: list[str]) -> list[Record]:
    lines = []
    for raw in raw_lines:
        line: Record = {key: raw[key] for key in ("Description", "AccountCode", "TaxType",
                                                  "Tracking") if key in raw}
        line["LineAmount"] = money(Decimal(str(raw.get("LineAmount", 0))))
        code = raw.get("AccountCode")
        account = books.account_by_code(code) if code else books.account_ref(raw)
        if account is None:
            errors.append(f"Account code '{code}' is not a valid code" if code else
                          "Account code must be specified on every journal line")
        elif account["Status"] != "ACTIVE":
            errors.append(f"Account code '{account.get('Code')}' has been archived, or has "
                          "been deleted. Each line item must reference a valid account.")
        elif account["Type"] == "BANK":
            # Xero's help ("Manually adjust a bank account balance"): no manual journal
            # may post to a bank account; spend or receive money transactions do.
            errors.append(f"Account code '{account.get('Code')}' is a bank account: manual "
                          "journals cannot be posted to bank accounts")
        else:
            line.update(AccountID=account["AccountID"], AccountCode=account.get("Code", ""))
        if "TaxType" in line and tax_rate_percent(books, line["TaxType"]) is None:
            errors.append(f"The TaxType code {line['TaxType']} does not exist or cannot be "
                          "used for this type of transaction.")
        line["IsBlank"] = False
        lines.append(line)
    return lines


def _balance(lines: list[Record], errors: list[str]) -> None:
    debits = sum((line["LineAmount"] for line in lines if line["LineAmount"] > 0), ZERO)
    credits = -sum((line["LineAmount"] for line in lines if line["LineAmount"] < 0), ZERO)
    if debits != credits:
        errors.append(f"The total debits ({debits:.2f}) must equal total credits "
                      f"({credits:.2f})")
    if len(lines) < 2:
        errors.append("A journal must have at least two lines")


def _build(call: Call, element: dict[str, Any], existing: Record | None) -> Record:
    books, errors = call.books, []
    current = existing["Status"] if existing else None
    status = element.get("Status", current or "DRAFT")
    if status not in NEXT_STATUSES.get(current, ()):
        errors.append("Manual journal not of valid status for modification")
    if existing is not None and current == "POSTED" and set(element) - {"Status",
                                                                        "ManualJournalID"}:
        errors.append("A posted manual journal can only be voided")
    narration = element.get("Narration", existing["Narration"] if existing else "")
    try:
        when = parse_date(element["Date"], "Date") if "Date" in element else (
            existing["Date"] if existing else books.today())
    except BadValue as exc:
        raise Invalid(str(exc)) from exc
    lines = _lines(books, element["JournalLines"], errors) if "JournalLines" in element \
        else (existing["JournalLines"] if existing else [])
    if status == "POSTED":
        _balance(lines, errors)
        refusal = books.lock_date_refusal(when)
        if refusal:
            errors.append(refusal)
    if errors:
        raise Invalid(*dict.fromkeys(errors))
    record: Record = existing if existing is not None else {"HasAttachments": False}
    record.update({"Narration": narration, "Date": when, "Status": status,
                   "JournalLines": lines,
                   "LineAmountTypes": element.get("LineAmountTypes", record.get(
                       "LineAmountTypes", "NoTax")),
                   "ShowOnCashBasisReports": element.get("ShowOnCashBasisReports", True)})
    if "Url" in element:
        record["Url"] = element["Url"]
    if existing is None:
        books.insert("ManualJournals", "ManualJournalID", record)
    else:
        books.touch(record)
    return record


def create(call: Call, element: dict[str, Any]) -> Record:
    return _build(call, element, None)


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    return _build(call, element, existing)


def match(books: Books, element: dict[str, Any]) -> Record | None:
    found = element.get("ManualJournalID")
    return books.table("ManualJournals").get(found) if found else None


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("ManualJournals", "ManualJournal", "ManualJournalID", create, update, render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND)


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["ManualJournalID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "ManualJournals"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "ManualJournals"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["ManualJournalID"])
    return 200, save(call, KIND, elements(call, "ManualJournals")[:1], mode="update",
                     target=target)


ROUTES: Routes = {("get", "/ManualJournals"): _list,
                  ("get", "/ManualJournals/{ManualJournalID}"): _one,
                  ("put", "/ManualJournals"): _put, ("post", "/ManualJournals"): _post,
                  ("post", "/ManualJournals/{ManualJournalID}"): _post_one}
