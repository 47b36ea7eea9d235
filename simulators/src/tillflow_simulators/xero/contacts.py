"""Contacts: a name unique among active contacts; created, updated, archived, listed."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero.batch import Invalid, Kind, save
from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call
from tillflow_simulators.xero.listing import list_records, one
from tillflow_simulators.xero.routes import NOT_WRITTEN, Answer, Routes, elements

DEFAULTS: dict[str, Any] = {"ContactStatus": "ACTIVE", "IsCustomer": False,
                            "IsSupplier": False, "HasAttachments": False,
                            "HasValidationErrors": False}
LISTS = ("Addresses", "Phones", "ContactGroups", "ContactPersons")


def name_taken(books: Books, name: str, *, other_than: str | None = None) -> bool:
    wanted = name.strip().lower()
    return any(c["Name"].strip().lower() == wanted and c["ContactStatus"] == "ACTIVE"
               and c["ContactID"] != other_than for c in books.table("Contacts").values())


def _duplicate(name: str) -> str:
    return (f"The contact name {name} is already assigned to another contact. The contact "
            "name must be unique across all active contacts.")


def create(call: Call, element: dict[str, Any]) -> Record:
    name = element.get("Name", "").strip()
    if not name:
        raise Invalid("The contact name must be specified")
    if name_taken(call.books, name):
        raise Invalid(_duplicate(name))
    return add(call.books, {**element, "Name": name})


def add(books: Books, fields: dict[str, Any]) -> Record:
    record: Record = {**DEFAULTS, **{k: v for k, v in fields.items() if k not in NOT_WRITTEN}}
    for name in LISTS:
        record.setdefault(name, [])
    record = books.insert("Contacts", "ContactID", record)
    books.announce("CONTACT", "CREATE", record["ContactID"])
    return record


def update(call: Call, existing: Record, element: dict[str, Any]) -> Record:
    name = str(element.get("Name") or existing["Name"]).strip()
    if name_taken(call.books, name, other_than=existing["ContactID"]) and \
            element.get("ContactStatus", existing["ContactStatus"]) == "ACTIVE":
        raise Invalid(_duplicate(name))
    existing.update({k: v for k, v in element.items()
                     if k not in NOT_WRITTEN and k != "ContactID"})
    existing["Name"] = name
    call.books.touch(existing)
    call.books.announce("CONTACT", "UPDATE", existing["ContactID"])
    return existing


def match(books: Books, element: dict[str, Any]) -> Record | None:
    if "ContactID" in element:
        return books.table("Contacts").get(element["ContactID"])
    number = element.get("ContactNumber")
    if number:
        return next((c for c in books.table("Contacts").values()
                     if c.get("ContactNumber") == number), None)
    return None


def render(books: Books, record: Record) -> dict[str, Any]:
    return dict(record)


KIND = Kind("Contacts", "Contact", "ContactID", create, update, render, match)


def _list(call: Call) -> Answer:
    return 200, list_records(call, KIND, hidden=lambda c: c["ContactStatus"] == "ARCHIVED",
                             searchable=("Name", "FirstName", "LastName", "EmailAddress",
                                         "ContactNumber", "CompanyNumber"))


def _one(call: Call) -> Answer:
    return 200, one(call, KIND, call.path_params["ContactID"])


def _put(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Contacts"), mode="create")


def _post(call: Call) -> Answer:
    return 200, save(call, KIND, elements(call, "Contacts"), mode="upsert")


def _post_one(call: Call) -> Answer:
    target = KIND.get(call.books, call.path_params["ContactID"])
    return 200, save(call, KIND, elements(call, "Contacts"), mode="update", target=target)


ROUTES: Routes = {("get", "/Contacts"): _list, ("get", "/Contacts/{ContactID}"): _one,
                  ("put", "/Contacts"): _put, ("post", "/Contacts"): _post,
                  ("post", "/Contacts/{ContactID}"): _post_one}
