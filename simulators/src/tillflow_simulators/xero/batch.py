"""Saving the documents of a PUT or POST body, one element at a time, as Xero does.

Each element is checked before anything of it is written. With ``summarizeErrors``
(the default) one refused element fails the whole request with a ValidationException
listing the refused elements, and nothing is kept; with ``summarizeErrors=false`` the
answer is 200 and each element carries ``StatusAttributeString`` ``OK`` or ``ERROR``
and its ``ValidationErrors``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.errors import NotFound, ValidationException
from tillflow_simulators.xero.openapi import specs


class Invalid(Exception):
    """An element Xero refuses, with its ``ValidationErrors`` messages."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Kind:
    plural: str  # the wrapper's key and table name: "Invoices"
    schema: str  # the element's schema: "Invoice"
    id_field: str  # "InvoiceID"
    create: Callable[[Call, dict[str, Any]], Record]
    update: Callable[[Call, Record, dict[str, Any]], Record]
    render: Callable[[Books, Record], dict[str, Any]]
    # The record a POST without an id in the path updates, if the element names one.
    match: Callable[[Books, dict[str, Any]], Record | None]

    def get(self, books: Books, record_id: str) -> Record:
        record = books.table(self.plural).get(record_id)
        if record is None:
            raise NotFound(record_id)
        return record


def error_marked(kind: Kind, element: dict[str, Any], messages: list[str]) -> dict[str, Any]:
    """The element as sent, marked the way Xero marks a refused one."""
    declared = _declared(kind.schema)
    marked = dict(element)
    marked["ValidationErrors"] = [{"Message": message} for message in messages]
    if "StatusAttributeString" in declared:
        marked["StatusAttributeString"] = "ERROR"
    for flag in ("HasErrors", "HasValidationErrors"):
        if flag in declared:
            marked[flag] = True
    return marked


def _declared(schema: str) -> set[str]:
    return set(specs().schemas[schema]["properties"])


def save(call: Call, kind: Kind, elements: list[dict[str, Any]], *, mode: str,
         target: Record | None = None) -> dict[str, Any]:
    """``mode``: ``create`` (PUT), ``upsert`` (POST to the collection), ``update`` (POST
    to one record, ``target``)."""
    books = call.books
    saved = books.snapshot() if call.summarize and len(elements) > 1 else None
    answers: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for index, element in enumerate(elements):
        try:
            record = _save_one(call, kind, element, index, mode=mode, target=target)
        except Invalid as invalid:
            marked = error_marked(kind, element, invalid.messages)
            refused.append(marked)
            answers.append(marked)
            continue
        rendered = kind.render(books, record)
        if not call.summarize and "StatusAttributeString" in _declared(kind.schema):
            rendered["StatusAttributeString"] = "OK"
        answers.append(rendered)
    if refused and call.summarize:
        if saved is not None:
            books.restore(saved)
        raise ValidationException([to_wire(element) for element in refused])
    return {kind.plural: [to_wire(answer) for answer in answers]}


def _save_one(call: Call, kind: Kind, element: dict[str, Any], index: int, *, mode: str,
              target: Record | None) -> Record:
    problems = call.element_problems.get(index)
    if problems:
        raise Invalid(*problems)
    existing = target if mode == "update" else (
        kind.match(call.books, element) if mode == "upsert" else None)
    if existing is not None:
        return kind.update(call, existing, element)
    return kind.create(call, element)
