"""GET of a collection: the filters Xero offers, then ``where``, ``order`` and pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from tillflow_simulators.xero.batch import Kind
from tillflow_simulators.xero.books import Record
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.errors import QueryParseError
from tillflow_simulators.xero.openapi import specs
from tillflow_simulators.xero.where import lookup, parse_where, sort

DEFAULT_PAGE_SIZE = 100
# Query parameters that list values to match, and the path they match on.
LIST_FILTERS: dict[str, tuple[str, ...]] = {
    "InvoiceNumbers": ("InvoiceNumber",), "ContactIDs": ("Contact", "ContactID"),
    "Statuses": ("Status",)}


def list_records(call: Call, kind: Kind, *, hidden: Callable[[Record], bool] | None = None,
                 searchable: Iterable[str] = ()) -> dict[str, Any]:
    records = list(call.books.table(kind.plural).values())
    records = _modified_since(call, records)
    if hidden is not None and not call.flag("includeArchived"):
        records = [r for r in records if not hidden(r)]
    if "IDs" in call.query:
        wanted = {value.strip().lower() for value in call.query["IDs"].split(",")}
        records = [r for r in records if str(r[kind.id_field]).lower() in wanted]
    for name, path in LIST_FILTERS.items():
        if name in call.query:
            wanted = {value.strip().strip('"').lower() for value in call.query[name].split(",")}
            records = [r for r in records if str(lookup(r, path)).lower() in wanted]
    term = call.query.get("searchTerm", "").lower()
    if term:
        records = [r for r in records
                   if any(term in str(r.get(name, "")).lower() for name in searchable)]
    if "where" in call.query:
        predicate = parse_where(call.query["where"])
        records = [r for r in records if predicate(r)]
    records = sort(records, call.query.get("order"))
    return _page(call, kind, records)


def _modified_since(call: Call, records: list[Record]) -> list[Record]:
    since = call.headers.get("if-modified-since")
    if not since:
        return records
    try:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryParseError(f"Invalid If-Modified-Since header: {since!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=call.books.now().tzinfo)
    return [r for r in records if r["UpdatedDateUTC"] > moment]


def _page(call: Call, kind: Kind, records: list[Record]) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    if "page" in call.query:
        page = max(1, int(call.query["page"]))
        size = max(1, int(call.query.get("pageSize", DEFAULT_PAGE_SIZE)))
        count = len(records)
        records = records[(page - 1) * size:page * size]
        if "pagination" in specs().schemas[kind.plural]["properties"]:
            answer["pagination"] = {"page": page, "pageSize": size,
                                    "pageCount": (count + size - 1) // size, "itemCount": count}
    answer[kind.plural] = [to_wire(kind.render(call.books, r)) for r in records]
    return answer


def one(call: Call, kind: Kind, record_id: str) -> dict[str, Any]:
    return {kind.plural: [to_wire(kind.render(call.books, kind.get(call.books, record_id)))]}
